package io.unikernetes.operator.binding;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.api.v1alpha1.ApiGroup;
import io.unikernetes.api.v1alpha1.LabelValues;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.operator.scheduler.Resources;
import io.unikernetes.operator.scheduler.Scheduler;
import io.unikernetes.operator.scheduler.SchedulingDecision;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Decides and writes bindings one at a time, so two guests racing for the last free memory of a node cannot
 * both win. The informer cache lags behind our own writes; bindings written but not yet seen in the cache
 * are remembered ("assumed", as kube-scheduler does) and counted until the cache shows them.
 */
public class Binder {

  /** The outcome of one attempt: the decision and, when bound, the object as the API server returned it. */
  public record Result(SchedulingDecision decision, Unikernel guest) {
  }

  private final KubernetesClient client;
  private final Scheduler scheduler;
  private final Map<String, String> assumedNodeByUid = new ConcurrentHashMap<>();
  /** What each guest asks for, parsed once: a Unikernel's spec never changes, and every binding sums them all. */
  private final Map<String, Resources> resourcesByUid = new ConcurrentHashMap<>();

  public Binder(KubernetesClient client, Scheduler scheduler) {
    this.client = client;
    this.scheduler = scheduler;
  }

  /**
   * Schedules {@code guest} against the cached nodes and guests and, when a node fits, binds it: sets
   * spec.nodeName and the node label in one update guarded by the object's resourceVersion.
   */
  public synchronized Result bind(Unikernel guest, Stream<XenNode> nodes, Stream<Unikernel> cachedGuests) {
    List<Unikernel> cached = cachedGuests.toList();
    forgetBindingsTheCacheShows(cached);
    var usage = ClusterSnapshot.usage(cached.stream(), this::assumedNode, this::resourcesOf);
    SchedulingDecision decision = scheduler.schedule(ClusterSnapshot.request(guest, cached, this::assumedNode),
        ClusterSnapshot.candidates(nodes), usage);
    if (!(decision instanceof SchedulingDecision.Bind bind)) {
      return new Result(decision, guest);
    }
    String label = LabelValues.of(bind.node());
    Map<String, String> labels = guest.getMetadata().getLabels();
    // Bound in spec already (our own binding whose confirmation the cache does not show yet, or a pin the
    // user set with the label): the confirmation in status is all that is missing, no spec write to race.
    boolean inSpec = bind.node().equals(guest.getSpec().getNodeName()) && labels != null
        && label.equals(labels.get(ApiGroup.NODE_LABEL));
    Unikernel updated = guest;
    if (!inSpec) {
      guest.getSpec().setNodeName(bind.node());
      if (guest.getMetadata().getLabels() == null) {
        guest.getMetadata().setLabels(new HashMap<>());
      }
      // For `kubectl get -l` only: nothing decides on this label (users may edit it).
      guest.getMetadata().getLabels().put(ApiGroup.NODE_LABEL, label);
      updated = client.resource(guest).update();
    }
    assumedNodeByUid.put(updated.getMetadata().getUid(), bind.node());
    return new Result(decision, updated);
  }

  private Resources resourcesOf(Unikernel guest) {
    return resourcesByUid.computeIfAbsent(guest.getMetadata().getUid(),
        uid -> ClusterSnapshot.request(guest).resources());
  }

  /**
   * The node this process bound {@code guest} to, while the cache does not show the binding confirmed yet:
   * the guest is bound, only its confirmation (Scheduled=True) may be missing. Scheduling it again from the
   * stale cache would count it twice, or find its node full.
   */
  public Optional<String> ownBinding(Unikernel guest) {
    return assumedNode(guest).filter(node -> node.equals(guest.getSpec().getNodeName()));
  }

  private Optional<String> assumedNode(Unikernel guest) {
    return Optional.ofNullable(assumedNodeByUid.get(guest.getMetadata().getUid()));
  }

  /** Once the cache shows a binding (or the guest is gone or deleting), the assumption is no longer needed. */
  private void forgetBindingsTheCacheShows(List<Unikernel> cached) {
    Set<String> unboundInCache = cached.stream()
        .filter(g -> ClusterSnapshot.boundNode(g).isEmpty() && g.getMetadata().getDeletionTimestamp() == null)
        .map(g -> g.getMetadata().getUid())
        .collect(Collectors.toSet());
    assumedNodeByUid.keySet().retainAll(unboundInCache);
    if (resourcesByUid.size() > cached.size()) {
      Set<String> present = cached.stream().map(g -> g.getMetadata().getUid()).collect(Collectors.toSet());
      resourcesByUid.keySet().retainAll(present);
    }
  }
}
