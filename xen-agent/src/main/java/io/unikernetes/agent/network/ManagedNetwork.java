package io.unikernetes.agent.network;

import io.unikernetes.common.net.Ipv4Subnet;
import java.util.Optional;

/**
 * The libvirt network an agent keeps for its guests when {@code --guest-network} names one. libvirt creates
 * {@code bridge}, gives it the gateway (the first address of the XenNode's guestSubnet) and runs dnsmasq on
 * it, which answers DHCP only for the reservations the agent adds: one per guest, its MAC to its address.
 * Forward mode "open": libvirt adds no firewall rules and no NAT; the host routes guest traffic as it routes
 * its own (README, "Reaching guests"). libvirt's DNS server is off; {@code dns}, if any, is handed out as
 * the DHCP DNS-server option.
 */
public record ManagedNetwork(String name, String bridge, Ipv4Subnet subnet, Optional<String> dns) {

  public String gateway() {
    return subnet.address(1);
  }
}
