package io.unikernetes.operator.nodes;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.unikernetes.api.v1alpha1.ApiGroup;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.common.events.EventRecorder;
import io.unikernetes.common.status.UnikernelStatusWriter;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Guests of a XenNode that no longer exists (a decommissioned host), as Kubernetes' pod garbage collector
 * handles Pods of deleted Nodes: no agent will ever release their domain finalizer, so a deleted guest is
 * released here, with an Event saying its domain is left to the host's agent (which removes it as an orphan
 * if it ever returns); a guest still wanted is marked lost (NodeLost) so its deployment replaces it. Runs on
 * every Unikernel event, deletions included (no finalizer of its own), and on every XenNode deletion.
 */
public class DeletedNodeGuestsReconciler implements Reconciler<Unikernel> {

  private final UnikernelStatusWriter statusWriter;
  private final EventRecorder events;
  private final Clock clock;
  private InformerEventSource<XenNode, Unikernel> nodes;

  public DeletedNodeGuestsReconciler(UnikernelStatusWriter statusWriter, EventRecorder events, Clock clock) {
    this.statusWriter = statusWriter;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, Unikernel>> prepareEventSources(EventSourceContext<Unikernel> context) {
    nodes = new InformerEventSource<>(InformerEventSourceConfiguration.from(XenNode.class, Unikernel.class)
        .withName("deleted-nodes")
        .withOnAddFilter(node -> false)
        .withOnUpdateFilter((before, after) -> false)
        .withSecondaryToPrimaryMapper(node -> context.getPrimaryCache().list()
            .filter(g -> Objects.equals(node.getMetadata().getName(), g.getSpec().getNodeName()))
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        // No index from guests to nodes: JOSDK would build it by running the mapper above, a scan of every
        // guest, on every XenNode event, filtered or not (each agent patches its XenNode every few seconds).
        .withPrimaryToSecondaryMapper((Unikernel guest) -> Set.of())
        .build(), context);
    return List.of(nodes);
  }

  @Override
  public UpdateControl<Unikernel> reconcile(Unikernel guest, Context<Unikernel> context) {
    String node = guest.getSpec() == null ? null : guest.getSpec().getNodeName();
    if (context.isPrimaryResourceDeleted() || node == null || nodes.get(new ResourceID(node)).isPresent()) {
      return UpdateControl.noUpdate();
    }
    ObjectMeta meta = guest.getMetadata();
    if (meta.getDeletionTimestamp() != null) {
      if (meta.getFinalizers() != null && meta.getFinalizers().contains(ApiGroup.DOMAIN_FINALIZER)) {
        // An update guarded by resourceVersion: a conflict retries the pass on the newer object.
        guest.getMetadata().setFinalizers(meta.getFinalizers().stream()
            .filter(f -> !f.equals(ApiGroup.DOMAIN_FINALIZER)).toList());
        context.getClient().resource(guest).update();
        events.record(guest, EventRecorder.Type.Warning, Reason.NodeDeleted, "XenNode " + node + " no longer "
            + "exists: released the guest; its domain, if any, is left to that host's agent, which removes it "
            + "should it ever return");
      }
      return UpdateControl.noUpdate();
    }
    boolean bound = guest.getStatus() != null
        && Conditions.isTrue(guest.getStatus().getConditions(), ConditionType.Scheduled);
    String message = "XenNode " + node + " no longer exists; the guest may still run on that host. A deployment "
        + "replaces it; delete it to release it";
    if (bound && LostGuests.markLost(guest, message, statusWriter, clock)) {
      events.record(guest, EventRecorder.Type.Warning, Reason.NodeDeleted, message);
    }
    return UpdateControl.noUpdate();
  }
}
