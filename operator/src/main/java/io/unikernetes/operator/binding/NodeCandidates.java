package io.unikernetes.operator.binding;

import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.operator.scheduler.NodeCandidate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The scheduler's view of each XenNode, made once per resourceVersion of the node rather than once per
 * decision: a decision holds the binder's lock, and parsing every node's quantities, conditions and taints for
 * each guest made the lock, not the API server, bound the binding rate (issue 12's scheduling benchmark).
 * Called under that lock; the map is concurrent only so that no reader ever depends on it.
 */
final class NodeCandidates {

  private record Cached(String resourceVersion, NodeCandidate candidate) {
  }

  private final Map<String, Cached> byName = new ConcurrentHashMap<>();

  /** The candidates of the nodes not being deleted, in the stream's order. */
  List<NodeCandidate> of(Stream<XenNode> nodes) {
    Set<String> seen = new HashSet<>();
    List<NodeCandidate> candidates = nodes.filter(n -> n.getMetadata().getDeletionTimestamp() == null)
        .map(node -> {
          String name = node.getMetadata().getName();
          seen.add(name);
          String version = node.getMetadata().getResourceVersion();
          Cached cached = byName.get(name);
          if (cached == null || version == null || !Objects.equals(cached.resourceVersion(), version)) {
            cached = new Cached(version, ClusterSnapshot.candidate(node));
            byName.put(name, cached);
          }
          return cached.candidate();
        }).toList();
    if (byName.size() > seen.size()) {
      byName.keySet().retainAll(seen);
    }
    return candidates;
  }
}
