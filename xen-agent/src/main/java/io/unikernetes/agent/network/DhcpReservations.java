package io.unikernetes.agent.network;

import io.unikernetes.agent.hypervisor.Hypervisor;
import io.unikernetes.agent.hypervisor.NetworkUpdate;
import java.util.List;

/**
 * Keeps the node's {@link ManagedNetwork} running and holding a DHCP reservation for each guest before its
 * domain boots, so a guest that asks by DHCP gets exactly the address in its status. A reservation that
 * names the guest's MAC or address with another partner (left by a deleted guest whose address is reused)
 * is replaced; reservations of deleted guests otherwise stay until their address is handed out again,
 * harmlessly: dnsmasq answers only the MAC they name, and no domain holds it any more.
 */
public class DhcpReservations {

  private final Hypervisor hypervisor;

  public DhcpReservations(Hypervisor hypervisor) {
    this.hypervisor = hypervisor;
  }

  /**
   * Starts {@code network} if needed and reserves {@code host} on it.
   *
   * @throws GuestNetwork.NotYetException when a network of that name exists on another subnet: it is not
   *     redefined under running guests; the message says what to do
   * @throws io.unikernetes.agent.hypervisor.HypervisorException when libvirt fails
   */
  public synchronized void reserve(ManagedNetwork network, DhcpHost host) throws GuestNetwork.NotYetException {
    String xml = hypervisor.ensureNetwork(network.name(), NetworkXml.of(network));
    String wanted = network.gateway() + "/" + network.subnet().prefixLength();
    String actual = NetworkXml.gatewayOf(xml).orElse("none");
    if (!wanted.equals(actual)) {
      throw new GuestNetwork.NotYetException("libvirt network " + network.name() + " has address " + actual
          + ", but this node's guestSubnet " + network.subnet() + " needs " + wanted + ": stop its guests and "
          + "`virsh net-destroy " + network.name() + " && virsh net-undefine " + network.name()
          + "`; the agent defines it again");
    }
    List<DhcpHost> hosts = NetworkXml.dhcpHostsOf(xml);
    if (hosts.contains(host)) {
      return;
    }
    for (DhcpHost stale : hosts) {
      if (stale.clashesWith(host)) {
        hypervisor.updateNetwork(network.name(), NetworkUpdate.DELETE_DHCP_HOST, NetworkXml.of(stale));
      }
    }
    hypervisor.updateNetwork(network.name(), NetworkUpdate.ADD_DHCP_HOST, NetworkXml.of(host));
  }
}
