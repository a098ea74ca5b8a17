package io.unikernetes.agent.network;

import java.util.Optional;

/**
 * How this node attaches guests to its guest network.
 *
 * @param bridge the host bridge guests' interfaces join (its address is the gateway, the first address of the
 *     XenNode's guestSubnet); empty: guests get no interface
 * @param dns the DNS server guests are told about as $(GUEST_DNS), if any
 */
public record GuestNetworkConfig(Optional<String> bridge, Optional<String> dns) {

  /** Guests get no network interface. */
  public static final GuestNetworkConfig NONE = new GuestNetworkConfig(Optional.empty(), Optional.empty());

  public static GuestNetworkConfig of(String bridge, String dns) {
    return new GuestNetworkConfig(Optional.of(bridge.trim()).filter(b -> !b.isEmpty()),
        Optional.of(dns.trim()).filter(d -> !d.isEmpty()));
  }
}
