package io.unikernetes.operator.scheduler;

import io.unikernetes.api.v1alpha1.spec.Taint;
import io.unikernetes.api.v1alpha1.status.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Chooses a node for a guest: filter the nodes that can take it (readiness, cordon, taints, node selector,
 * capacity, topology spread), then rank them by policy: the fullest after placement by default (fewest hosts
 * used), or the emptiest with {@link SchedulingPolicy#spread}. Pure: the caller supplies a consistent snapshot.
 */
public final class Scheduler {

  private final SchedulingPolicy policy;

  /** A node filtered out, and why, written when the decision is Unschedulable. */
  private record Rejected(String node, Supplier<String> why) {
  }

  public Scheduler(SchedulingPolicy policy) {
    this.policy = policy;
  }

  public Scheduler() {
    this(SchedulingPolicy.dense);
  }

  /**
   * Why a node was filtered out, or empty when it fits. The reason is written only if asked for: a guest that
   * fits somewhere never needs the others' reasons, and formatting them for every full node on every decision
   * was most of a decision's cost on a large cluster.
   */
  private static Optional<Supplier<String>> rejection(NodeCandidate node, GuestRequest request, Resources used,
      boolean pinned) {
    if (!pinned && !node.ready()) {
      return Optional.of(() -> "not Ready");
    }
    if (!pinned && node.cordoned()) {
      return Optional.of(() -> "unschedulable (cordoned)");
    }
    if (!pinned) {
      for (Taint taint : node.taints()) {
        if (request.tolerations().stream().noneMatch(t -> t.tolerates(taint))) {
          return Optional.of(() -> "taint " + taint + " not tolerated");
        }
      }
      for (Map.Entry<String, String> wanted : request.nodeSelector().entrySet()) {
        if (!wanted.getValue().equals(node.labels().get(wanted.getKey()))) {
          return Optional.of(() -> "nodeSelector " + wanted.getKey() + "=" + wanted.getValue() + " not matched");
        }
      }
    }
    if (request.vcpus() > node.hostCpus()) {
      return Optional.of(() -> "the guest's " + request.vcpus() + " vCPUs exceed the host's " + node.hostCpus()
          + " CPUs");
    }
    Resources free = free(node, used);
    Resources asked = request.resources().charged(node.overhead());
    if (free.memory().compareTo(asked.memory()) < 0) {
      return Optional.of(() -> "insufficient memory (requested " + asked.memory() + overheadNote(node) + ", free "
          + free.memory() + ")");
    }
    if (free.cpu().compareTo(asked.cpu()) < 0) {
      return Optional.of(() -> "insufficient cpu (requested " + asked.cpu() + overheadNote(node) + ", free "
          + free.cpu() + ")");
    }
    if (free.guests() < asked.guests()) {
      return Optional.of(() -> "too many guests (max " + node.allocatable().guests() + ")");
    }
    return Optional.empty();
  }

  private static String overheadNote(NodeCandidate node) {
    return node.overhead().equals(Overhead.NONE) ? "" : " with the node's per-guest overhead";
  }

  /** What is left on the node once its guests, each charged the node's overhead, are counted. */
  private static Resources free(NodeCandidate node, Resources used) {
    Resources total = node.allocatable();
    Resources charged = used.charged(node.overhead());
    return new Resources(total.memory().minus(charged.memory()), total.cpu().minus(charged.cpu()),
        Math.max(0, total.guests() - used.guests()));
  }

  /** Fraction of the node's memory in use once the guest is placed: higher packs denser. */
  private static double fullnessAfter(NodeCandidate node, Resources used, GuestRequest request) {
    long total = Math.max(1, node.allocatable().memory().bytes());
    return (double) used.plus(request.resources()).charged(node.overhead()).memory().bytes() / total;
  }

  public SchedulingDecision schedule(GuestRequest request, List<NodeCandidate> nodes, Map<String, Resources> usage) {
    if (request.pinnedNode().isPresent()) {
      String pinned = request.pinnedNode().get();
      Optional<NodeCandidate> node = nodes.stream().filter(n -> n.name().equals(pinned)).findFirst();
      if (node.isEmpty()) {
        return new SchedulingDecision.Unschedulable(Reason.NodeNotFound,
            "spec.nodeName pins the guest to XenNode " + pinned + ", which does not exist");
      }
      Resources used = usage.getOrDefault(pinned, Resources.NONE);
      return rejection(node.get(), request, used, true)
          .<SchedulingDecision>map(why -> new SchedulingDecision.Unschedulable(Reason.Unschedulable,
              "pinned XenNode " + pinned + " cannot take the guest: " + why.get()))
          .orElseGet(() -> new SchedulingDecision.Bind(pinned, "bound to pinned XenNode " + pinned));
    }
    List<Rejected> rejections = new ArrayList<>();
    List<NodeCandidate> fitting = new ArrayList<>();
    for (NodeCandidate node : nodes.stream().sorted(Comparator.comparing(NodeCandidate::name)).toList()) {
      Optional<Supplier<String>> why = rejection(node, request, usage.getOrDefault(node.name(), Resources.NONE),
          false);
      if (why.isPresent()) {
        rejections.add(new Rejected(node.name(), why.get()));
      } else {
        fitting.add(node);
      }
    }
    if (request.spread().isPresent() && !fitting.isEmpty()) {
      GuestRequest.Spread spread = request.spread().get();
      int fewest = fitting.stream().mapToInt(n -> spread.membersPerNode().getOrDefault(n.name(), 0)).min().orElse(0);
      List<NodeCandidate> balanced = new ArrayList<>();
      for (NodeCandidate node : fitting) {
        int members = spread.membersPerNode().getOrDefault(node.name(), 0);
        if (members + 1 - fewest > spread.maxSkew()) {
          rejections.add(new Rejected(node.name(), () -> "topology spread (" + members
              + " of the group here, maxSkew " + spread.maxSkew() + ")"));
        } else {
          balanced.add(node);
        }
      }
      fitting = balanced;
    }
    NodeCandidate best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (NodeCandidate node : fitting) {
      double fullness = fullnessAfter(node, usage.getOrDefault(node.name(), Resources.NONE), request);
      double score = policy == SchedulingPolicy.dense ? fullness : -fullness;
      if (score > bestScore) {
        best = node;
        bestScore = score;
      }
    }
    if (best == null) {
      String detail = nodes.isEmpty() ? "no XenNodes are registered"
          : String.join("; ", rejections.stream().map(r -> r.node() + ": " + r.why().get()).toList());
      return new SchedulingDecision.Unschedulable(Reason.Unschedulable,
          "0/" + nodes.size() + " XenNodes can take the guest: " + detail);
    }
    return new SchedulingDecision.Bind(best.name(), "bound to XenNode " + best.name() + " ("
        + (nodes.size() - rejections.size()) + "/" + nodes.size() + " nodes fit, " + policy + ")");
  }
}
