package io.unikernetes.api.v1alpha1;

import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import java.util.Optional;

/**
 * A Unikernel's binding to a XenNode, read the one way both the operator's scheduler and the node's agent
 * count it: the scheduler sums what a node holds from it, the agent reports the same sum as the XenNode's
 * {@code status.allocated}, and the two must agree.
 */
public final class Binding {

  private Binding() {
  }

  /**
   * The node a guest is bound to: its spec.nodeName once the scheduler confirmed it (Scheduled=True in
   * status). Neither can be edited away: nodeName is immutable once set, status only written through its
   * subresource. A nodeName a user pinned is not a binding until the scheduler checked it.
   */
  public static Optional<String> boundNode(Unikernel guest) {
    String node = guest.getSpec() == null ? null : guest.getSpec().getNodeName();
    boolean confirmed = guest.getStatus() != null
        && Conditions.isTrue(guest.getStatus().getConditions(), ConditionType.Scheduled);
    return Optional.ofNullable(confirmed ? node : null);
  }

  /** Whether the guest finished for good (Succeeded or Failed): it holds nothing on its node any more. */
  public static boolean isTerminal(Unikernel guest) {
    UnikernelPhase phase = guest.getStatus() == null ? null : guest.getStatus().getPhase();
    return phase != null && phase.isTerminal();
  }

  /**
   * The node whose resources the guest holds: its bound node while it is not terminal. A deleting guest holds
   * them until it is gone, as a terminating Pod does.
   */
  public static Optional<String> holdingNode(Unikernel guest) {
    return boundNode(guest).filter(node -> !isTerminal(guest));
  }
}
