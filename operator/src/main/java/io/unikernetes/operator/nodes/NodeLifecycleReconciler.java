package io.unikernetes.operator.nodes;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.status.ConditionStatus;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.common.events.EventRecorder;
import io.unikernetes.common.status.UnikernelStatusWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Watches the agents' heartbeat Leases. A node whose Lease expired turns Ready=Unknown (no guest is bound
 * to it any more); after the grace period its unfinished guests get Ready=Unknown with reason NodeLost and an
 * Event. Nothing is destroyed for a lost heartbeat: the guests may well still run (a slow agent restart, a
 * partition), so their phase stays; deployments replace them elsewhere and delete them only once the
 * replacements are available. A returning agent adopts the domains it finds and reports them Ready again.
 */
public class NodeLifecycleReconciler implements Reconciler<XenNode> {

  private final String leaseNamespace;
  private final Duration grace;
  private final UnikernelStatusWriter statusWriter;
  private final EventRecorder events;
  private final Clock clock;

  public NodeLifecycleReconciler(String leaseNamespace, Duration grace, UnikernelStatusWriter statusWriter,
      EventRecorder events, Clock clock) {
    this.leaseNamespace = leaseNamespace;
    this.grace = grace;
    this.statusWriter = statusWriter;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, XenNode>> prepareEventSources(EventSourceContext<XenNode> context) {
    var leases = InformerEventSourceConfiguration.from(Lease.class, XenNode.class)
        .withNamespaces(Set.of(leaseNamespace))
        .withLabelSelector("unikernetes.io/node-heartbeat=true")
        .withSecondaryToPrimaryMapper(lease -> Set.of(new ResourceID(lease.getMetadata().getName())))
        .withPrimaryToSecondaryMapper(node -> Set.of(new ResourceID(node.getMetadata().getName(), leaseNamespace)))
        .build();
    return List.of(new InformerEventSource<>(leases, context));
  }

  @Override
  public UpdateControl<XenNode> reconcile(XenNode node, Context<XenNode> context) {
    Optional<Lease> lease = context.getSecondaryResource(Lease.class);
    if (lease.isEmpty() || lease.get().getSpec().getRenewTime() == null) {
      return UpdateControl.noUpdate(); // an agent that never sent a heartbeat is not judged by one
    }
    Instant now = clock.instant();
    Instant expiry = lease.get().getSpec().getRenewTime().toInstant()
        .plusSeconds(lease.get().getSpec().getLeaseDurationSeconds());
    if (now.isBefore(expiry)) {
      return UpdateControl.<XenNode>noUpdate().rescheduleAfter(Duration.between(now, expiry).plusSeconds(1));
    }
    String since = lease.get().getSpec().getRenewTime().toInstant().toString();
    if (node.getStatus() != null && Conditions.find(node.getStatus().getConditions(), ConditionType.Ready)
        .map(c -> c.getStatus() != ConditionStatus.Unknown).orElse(true)) {
      String message = "no heartbeat from the agent since " + since + "; no new guests are bound here";
      node.getStatus().setConditions(Conditions.with(node.getStatus().getConditions(), ConditionType.Ready,
          ConditionStatus.Unknown, Reason.HeartbeatExpired, message, null, now));
      // As for a Node whose kubelet stopped posting: what the agent last said about its disk is no longer known.
      if (Conditions.find(node.getStatus().getConditions(), ConditionType.DiskPressure).isPresent()) {
        node.getStatus().setConditions(Conditions.with(node.getStatus().getConditions(), ConditionType.DiskPressure,
            ConditionStatus.Unknown, Reason.HeartbeatExpired, "no heartbeat from the agent since " + since, null,
            now));
      }
      context.getClient().resource(node).updateStatus();
      events.record(node, EventRecorder.Type.Warning, Reason.HeartbeatExpired, message);
    }
    Instant lost = expiry.plus(grace);
    if (now.isBefore(lost)) {
      return UpdateControl.<XenNode>noUpdate().rescheduleAfter(Duration.between(now, lost).plusSeconds(1));
    }
    markGuestsLost(node, since, context);
    return UpdateControl.<XenNode>noUpdate().rescheduleAfter(grace);
  }

  private void markGuestsLost(XenNode node, String since, Context<XenNode> context) {
    String message = "XenNode " + node.getMetadata().getName() + " lost: no heartbeat since " + since
        + " (grace " + grace.toSeconds() + " s); the guest may still run there. A deployment replaces it and "
        + "removes it once the replacement is available; a bare Unikernel waits for its agent";
    List<Unikernel> guests = context.getClient().resources(Unikernel.class).inAnyNamespace()
        .withField("spec.nodeName", node.getMetadata().getName()).list().getItems();
    for (Unikernel guest : guests) {
      if (!LostGuests.markLost(guest, message, statusWriter, clock)) {
        continue;
      }
      events.record(guest, EventRecorder.Type.Warning, Reason.NodeLost, message);
    }
  }
}
