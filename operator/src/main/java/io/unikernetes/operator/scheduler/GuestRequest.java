package io.unikernetes.operator.scheduler;

import io.unikernetes.api.v1alpha1.spec.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one Unikernel asks of a node: resources (its request, before the node's overhead), its vCPU count, a node selector, tolerated taints, optionally the node it is
 * pinned to, and optionally a topology spread over its group.
 */
public record GuestRequest(Resources resources, int vcpus, Map<String, String> nodeSelector, Optional<String> pinnedNode,
    List<Toleration> tolerations, Optional<Spread> spread) {

  /** The guest's group: how many of its members each node holds, and the largest allowed skew. */
  public record Spread(int maxSkew, Map<String, Integer> membersPerNode) {
  }

  public GuestRequest(Resources resources, Map<String, String> nodeSelector, Optional<String> pinnedNode,
      List<Toleration> tolerations, Optional<Spread> spread) {
    this(resources, 1, nodeSelector, pinnedNode, tolerations, spread);
  }

  public GuestRequest(Resources resources, Map<String, String> nodeSelector, Optional<String> pinnedNode) {
    this(resources, 1, nodeSelector, pinnedNode, List.of(), Optional.empty());
  }
}
