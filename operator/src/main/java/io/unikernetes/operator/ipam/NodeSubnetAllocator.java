package io.unikernetes.operator.ipam;

import io.unikernetes.common.net.Ipv4Subnet;
import java.util.Collection;
import java.util.Optional;

/**
 * Cuts the cluster's guest pool into equal node subnets, as Kubernetes' node IPAM cuts --cluster-cidr into
 * podCIDRs: the lowest one that overlaps nothing already taken (allocated, or pinned by an administrator,
 * inside the pool or not). Pure.
 *
 * @param pool the cluster-wide guest network, such as 10.240.0.0/16
 * @param nodePrefixLength the prefix length of each node's subnet, such as 24; not shorter than the pool's
 */
public record NodeSubnetAllocator(Ipv4Subnet pool, int nodePrefixLength) {

  /** Networks no guest may be addressed in: "this" network, loopback, link-local, multicast and reserved. */
  private static final java.util.List<Ipv4Subnet> SPECIAL = java.util.stream.Stream.of("0.0.0.0/8", "127.0.0.0/8",
      "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4").map(Ipv4Subnet::parse).toList();

  public NodeSubnetAllocator {
    if (pool.prefixLength() < 8) {
      throw new IllegalArgumentException("the guest pool " + pool + " is larger than a /8");
    }
    SPECIAL.stream().filter(pool::overlaps).findFirst().ifPresent(special -> {
      throw new IllegalArgumentException("the guest pool " + pool + " overlaps " + special
          + ", which no guest may be addressed in (IANA special-purpose)");
    });
    if (nodePrefixLength < pool.prefixLength() || nodePrefixLength > 29) {
      throw new IllegalArgumentException("node subnets of /" + nodePrefixLength + " cannot be cut from " + pool
          + ": the prefix length must be " + pool.prefixLength() + " to 29");
    }
  }

  /** The next free node subnet, or empty when the pool is exhausted. */
  public Optional<Ipv4Subnet> next(Collection<Ipv4Subnet> taken) {
    for (long index = 0; ; index++) {
      Optional<Ipv4Subnet> candidate = pool.subnet(nodePrefixLength, index);
      if (candidate.isEmpty() || taken.stream().noneMatch(candidate.get()::overlaps)) {
        return candidate;
      }
    }
  }

  /** How many node subnets the pool holds. */
  public long capacity() {
    return 1L << (nodePrefixLength - pool.prefixLength());
  }
}
