package io.unikernetes.operator.binding;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.unikernetes.api.v1alpha1.ApiGroup;
import io.unikernetes.api.v1alpha1.LabelValues;
import io.unikernetes.api.v1alpha1.Binding;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.operator.scheduler.GuestRequest;
import io.unikernetes.operator.scheduler.Resources;
import io.unikernetes.operator.scheduler.Scheduler;
import io.unikernetes.operator.scheduler.SchedulingDecision;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Decides bindings one at a time, so two guests racing for the last free memory of a node cannot both win,
 * and writes them concurrently. What nodes hold comes from {@link NodeUsage}, kept event by event. As
 * kube-scheduler does, a decision is "assumed" (counted on its node) before its write is sent and forgotten
 * if the write fails; bindings written but not yet seen by NodeUsage stay assumed and counted until it
 * counts them, so a lagging cache never lets a node be filled twice, and are counted once, not twice, once it
 * does, so a node with room never looks full.
 */
public class Binder {

  /** The outcome of one attempt: the decision and, when bound, the object as the API server returned it. */
  public record Result(SchedulingDecision decision, Unikernel guest) {
  }

  /** A binding decided here that the controller's cache (NodeUsage) does not show confirmed yet. */
  record Assumed(String node, Resources resources, ResourceID guest) {
  }

  private final KubernetesClient client;
  private final Scheduler scheduler;
  private final NodeUsage usage;
  private final Map<String, Assumed> assumedByUid = new ConcurrentHashMap<>();
  private final NodeCandidates candidates = new NodeCandidates();

  public Binder(KubernetesClient client, Scheduler scheduler, NodeUsage usage) {
    this.client = client;
    this.scheduler = scheduler;
    this.usage = usage;
  }

  /**
   * Schedules {@code guest} against the cached nodes and what they hold and, when a node fits, binds it:
   * sets spec.nodeName and the node label in one update guarded by the object's resourceVersion. Only the
   * decision holds the lock; the write does not, so bindings reach the API server in parallel.
   *
   * @param cache the controller's cache of Unikernels: tells whether an assumed guest still waits for its
   *     binding to be seen, and lists the members of a topology spread group
   * @throws io.fabric8.kubernetes.client.KubernetesClientException when the write fails (409 included: the
   *     guest changed); an assumption this attempt made is undone, and the caller retries
   */
  public Result bind(Unikernel guest, Stream<XenNode> nodes, IndexedResourceCache<Unikernel> cache) {
    Decided decided = decide(guest, nodes, cache);
    if (!(decided.decision() instanceof SchedulingDecision.Bind bind)) {
      return new Result(decided.decision(), guest);
    }
    String label = LabelValues.of(bind.node());
    Map<String, String> labels = guest.getMetadata().getLabels();
    // Bound in spec already (our own binding whose confirmation the cache does not show yet, or a pin the
    // user set with the label): the confirmation in status is all that is missing, no spec write to race.
    boolean inSpec = bind.node().equals(guest.getSpec().getNodeName()) && labels != null
        && label.equals(labels.get(ApiGroup.NODE_LABEL));
    if (inSpec) {
      return new Result(bind, guest);
    }
    guest.getSpec().setNodeName(bind.node());
    if (guest.getMetadata().getLabels() == null) {
      guest.getMetadata().setLabels(new HashMap<>());
    }
    // For `kubectl get -l` only: nothing decides on this label (users may edit it).
    guest.getMetadata().getLabels().put(ApiGroup.NODE_LABEL, label);
    try {
      return new Result(bind, client.resource(guest).update());
    } catch (RuntimeException e) {
      // Only an assumption this attempt made is undone: an earlier one stands for a binding that was written
      // (this attempt started from a cache older than it, and its write fails on the stale resourceVersion).
      decided.made().ifPresent(made -> assumedByUid.remove(guest.getMetadata().getUid(), made));
      throw e;
    }
  }

  /** A decision, and the assumption it made, if it made one. */
  private record Decided(SchedulingDecision decision, Optional<Assumed> made) {
  }

  /**
   * The decision for {@code guest}, assumed (counted on its node) before the lock is released. A guest this
   * process already bound and whose binding is still assumed keeps its node: deciding again from a cache
   * older than that binding would count the guest against itself, and could move it.
   */
  private synchronized Decided decide(Unikernel guest, Stream<XenNode> nodes, IndexedResourceCache<Unikernel> cache) {
    forgetAssumptionsNoLongerNeeded(cache);
    String uid = guest.getMetadata().getUid();
    Assumed earlier = assumedByUid.get(uid);
    if (earlier != null) {
      return new Decided(new SchedulingDecision.Bind(earlier.node(), "bound to XenNode " + earlier.node()),
          Optional.empty());
    }
    Map<String, Resources> held = usage.snapshotWith(assumedByUid);
    List<Unikernel> others = guest.getSpec().getTopologySpread() == null ? List.of() : cache.list().toList();
    GuestRequest request = ClusterSnapshot.request(guest, others, this::assumedNode);
    SchedulingDecision decision = scheduler.schedule(request, candidates.of(nodes), held);
    if (!(decision instanceof SchedulingDecision.Bind bind)) {
      return new Decided(decision, Optional.empty());
    }
    Assumed made = new Assumed(bind.node(), request.resources(), ResourceID.fromResource(guest));
    assumedByUid.put(uid, made);
    return new Decided(decision, Optional.of(made));
  }

  /**
   * The node this process bound {@code guest} to, while its binding is not counted yet: the guest is bound,
   * only its confirmation (Scheduled=True) may be missing. Scheduling it again from the stale cache would
   * count it twice, or find its node full.
   */
  public Optional<String> ownBinding(Unikernel guest) {
    return assumedNode(guest).filter(node -> node.equals(guest.getSpec().getNodeName()));
  }

  private Optional<String> assumedNode(Unikernel guest) {
    return Optional.ofNullable(assumedByUid.get(guest.getMetadata().getUid())).map(Assumed::node);
  }

  /**
   * An assumption ends once the controller's cache (NodeUsage is that cache) shows the binding confirmed:
   * until it does, a reconcile may still start from an older object; or once the guest is gone, deleting or
   * finished. Only bindings in flight are assumed (up to a few hundred under a burst). Meanwhile a binding
   * NodeUsage counts already is not added again ({@link NodeUsage#snapshotWith}). Run before every decision:
   * the assumption of a guest that just went must not keep its node looking full for the guests its going woke.
   */
  private void forgetAssumptionsNoLongerNeeded(IndexedResourceCache<Unikernel> cache) {
    assumedByUid.entrySet().removeIf(e -> {
      Optional<Unikernel> cached = cache.get(e.getValue().guest())
          .filter(g -> g.getMetadata().getUid().equals(e.getKey()));
      boolean pending = cached.filter(g -> g.getMetadata().getDeletionTimestamp() == null
          && !Binding.isTerminal(g)).isPresent();
      boolean seen = usage.counts(e.getKey()) && cached.flatMap(Binding::boundNode).isPresent();
      return !pending || seen;
    });
  }
}
