package io.unikernetes.agent.network;

import io.unikernetes.agent.hypervisor.DomainStatus;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.common.net.Ipv4Subnet;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Picks guest addresses in a node's subnet, leaving out the network address, the first host address (the
 * gateway, on the host's bridge) and the broadcast address. Round-robin, as Kubernetes' host-local IPAM
 * allocates Pod addresses: the next free address after the last one given, so an address freed a moment ago
 * is handed out again only after every other one was (a DHCP server still holds its lease for a while, and
 * clients may still know the old holder). Pure.
 */
public final class GuestAddresses {

  private GuestAddresses() {
  }

  /** The lowest free guest address of {@code subnet}, or empty when every one is in use. */
  public static Optional<String> free(Ipv4Subnet subnet, Set<String> inUse) {
    return free(subnet, inUse, Optional.empty());
  }

  /**
   * The first free guest address of {@code subnet} after {@code last} (wrapping around to the lowest), or
   * empty when every one is in use.
   *
   * @param last the address given last; empty (or outside the subnet): start after the gateway
   */
  public static Optional<String> free(Ipv4Subnet subnet, Set<String> inUse, Optional<String> last) {
    long first = 2;
    long end = subnet.size() - 1; // the broadcast address
    long count = end - first;
    long start = last.stream().mapToLong(a -> subnet.offsetOf(a).orElse(first - 1)).findFirst().orElse(first - 1) + 1;
    for (long i = 0; i < count; i++) {
      long offset = first + Math.floorMod(start - first + i, count);
      String candidate = subnet.address(offset);
      if (!inUse.contains(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The highest address of {@code subnet} among {@code addresses}: where round-robin resumes after a restart. */
  public static Optional<String> highest(Ipv4Subnet subnet, Set<String> addresses) {
    return addresses.stream().filter(subnet::contains)
        .max(java.util.Comparator.comparingLong(a -> subnet.offsetOf(a).orElse(-1)));
  }

  /**
   * Every address some other guest holds: in its Unikernel's status, in its domain's metadata (a domain
   * outlives its Unikernel until the agent removes it, and so does its address), or chosen but not yet seen
   * in the cache.
   *
   * @param uid the guest being attached, whose own holdings do not count
   * @param guests the Unikernels bound to this node
   * @param domains every Unikernetes domain on the host
   * @param chosen addresses chosen by guest UID whose status write the cache may not show yet
   */
  public static Set<String> held(String uid, Collection<Unikernel> guests, Collection<DomainStatus> domains,
      Map<String, String> chosen) {
    Set<String> held = new HashSet<>();
    guests.stream().filter(g -> !g.getMetadata().getUid().equals(uid) && g.getStatus() != null)
        .map(g -> g.getStatus().getIp()).filter(Objects::nonNull).forEach(held::add);
    domains.stream().filter(d -> !d.owner().uid().equals(uid)).forEach(d -> d.ip().ifPresent(held::add));
    chosen.forEach((owner, ip) -> {
      if (!owner.equals(uid)) {
        held.add(ip);
      }
    });
    return held;
  }

  /** How many guests the subnet can hold. */
  public static long capacity(Ipv4Subnet subnet) {
    return Math.max(0, subnet.size() - 3);
  }
}
