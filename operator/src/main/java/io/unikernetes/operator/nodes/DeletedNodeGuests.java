package io.unikernetes.operator.nodes;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.api.v1alpha1.ApiGroup;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.common.events.EventRecorder;
import io.unikernetes.common.status.UnikernelStatusWriter;
import java.time.Clock;

/**
 * Guests of a XenNode that no longer exists (a decommissioned host), as Kubernetes' pod garbage collector
 * handles Pods of deleted Nodes: no agent will ever release their domain finalizer, so a deleted guest is
 * released here, with an Event saying its domain is left to the host's agent (which removes it as an orphan
 * if it ever returns); a guest still wanted is marked lost (NodeLost) so its deployment replaces it.
 * The scheduler's controller calls it, since it sees every guest and every XenNode deletion already: a
 * controller of its own would keep one more cache of every guest and copy each one on every change.
 */
public class DeletedNodeGuests {

  private final KubernetesClient client;
  private final UnikernelStatusWriter statusWriter;
  private final EventRecorder events;
  private final Clock clock;

  public DeletedNodeGuests(KubernetesClient client, UnikernelStatusWriter statusWriter, EventRecorder events,
      Clock clock) {
    this.client = client;
    this.statusWriter = statusWriter;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Handles {@code guest}, whose spec.nodeName names {@code node}, a XenNode that does not exist: a deleted guest
   * loses the domain finalizer, a bound one is marked lost. Returns whether there is nothing left to do for it
   * (it is being deleted, or was bound and is now marked lost); false for a guest pinned to a node that does
   * not exist (yet), which stays the scheduler's.
   */
  public boolean handle(Unikernel guest, String node) {
    ObjectMeta meta = guest.getMetadata();
    if (meta.getDeletionTimestamp() != null) {
      if (meta.getFinalizers() != null && meta.getFinalizers().contains(ApiGroup.DOMAIN_FINALIZER)) {
        // An update guarded by resourceVersion: a conflict retries the pass on the newer object.
        guest.getMetadata().setFinalizers(meta.getFinalizers().stream()
            .filter(f -> !f.equals(ApiGroup.DOMAIN_FINALIZER)).toList());
        client.resource(guest).update();
        events.record(guest, EventRecorder.Type.Warning, Reason.NodeDeleted, "XenNode " + node + " no longer "
            + "exists: released the guest; its domain, if any, is left to that host's agent, which removes it "
            + "should it ever return");
      }
      return true;
    }
    boolean bound = guest.getStatus() != null
        && Conditions.isTrue(guest.getStatus().getConditions(), ConditionType.Scheduled);
    String message = "XenNode " + node + " no longer exists; the guest may still run on that host. A deployment "
        + "replaces it; delete it to release it";
    if (bound && LostGuests.markLost(guest, message, statusWriter, clock)) {
      events.record(guest, EventRecorder.Type.Warning, Reason.NodeDeleted, message);
    }
    return bound;
  }
}
