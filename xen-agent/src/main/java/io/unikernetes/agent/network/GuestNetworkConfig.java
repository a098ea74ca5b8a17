package io.unikernetes.agent.network;

import java.util.Optional;

/**
 * How this node attaches guests to its guest network.
 *
 * @param bridge the host bridge guests' interfaces join (its address is the gateway, the first address of the
 *     XenNode's guestSubnet); empty: guests get no interface
 * @param dns the DNS server guests are told about as $(GUEST_DNS) and by DHCP, if any
 * @param libvirtNetwork the libvirt network the agent keeps for {@code bridge} ({@link ManagedNetwork}:
 *     libvirt creates the bridge, gives it the gateway and serves DHCP reservations); empty: the bridge is
 *     the host's, set up with the gateway by its administrator, and guests configure themselves statically
 * @param noteTraffic whether traffic forwarded to {@code bridge} is noted in nftables (the lastActivityTime of
 *     scale-to-zero guests); off, such guests count as always active
 */
public record GuestNetworkConfig(Optional<String> bridge, Optional<String> dns, Optional<String> libvirtNetwork,
    boolean noteTraffic) {

  /** Guests get no network interface. */
  public static final GuestNetworkConfig NONE = new GuestNetworkConfig(Optional.empty(), Optional.empty(),
      Optional.empty(), false);

  /** Blank strings mean "not set"; traffic is noted. */
  public static GuestNetworkConfig of(String bridge, String dns, String libvirtNetwork) {
    return new GuestNetworkConfig(present(bridge), present(dns), present(libvirtNetwork), true);
  }

  /**
   * The same without noting traffic: for an agent whose bridge is not in its own network namespace (a test's
   * in-process agent), which would otherwise change the host's nftables.
   */
  public GuestNetworkConfig withoutTrafficNoting() {
    return new GuestNetworkConfig(bridge, dns, libvirtNetwork, false);
  }

  /** A host bridge its administrator set up, no DHCP. */
  public static GuestNetworkConfig of(String bridge, String dns) {
    return of(bridge, dns, "");
  }

  private static Optional<String> present(String value) {
    return Optional.of(value.trim()).filter(v -> !v.isEmpty());
  }
}
