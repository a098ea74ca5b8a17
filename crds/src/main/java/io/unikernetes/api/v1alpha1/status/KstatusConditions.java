package io.unikernetes.api.v1alpha1.status;

import java.time.Instant;

/**
 * Derives the kstatus conditions (Reconciling, Stalled) of a Unikernel from its phase, so Flux, Argo CD and
 * {@code kubectl wait} read Progressing / Degraded / Healthy without knowing our phases. Both writers of a
 * Unikernel's status apply it after their own change, so the two can never disagree with the phase.
 */
public final class KstatusConditions {

  private KstatusConditions() {
  }

  public static UnikernelStatus apply(UnikernelStatus status, Long generation, Instant now) {
    UnikernelPhase phase = status.getPhase() == null ? UnikernelPhase.Pending : status.getPhase();
    boolean reconciling = !phase.isTerminal() && phase != UnikernelPhase.Running;
    boolean stalled = phase == UnikernelPhase.Failed;
    var cause = Conditions.find(status.getConditions(), phase == UnikernelPhase.Pending
        ? ConditionType.Scheduled : ConditionType.Ready);
    String why = cause.map(Condition::getMessage).orElse("phase " + phase);
    Reason stalledReason = cause.map(Condition::getReason).flatMap(Reason::parse).orElse(Reason.GuestCrashed);
    status.setConditions(Conditions.with(status.getConditions(), ConditionType.Reconciling,
        ConditionStatus.of(reconciling), reconciling ? Reason.Progressing : Reason.Settled,
        reconciling ? "phase " + phase + ": " + why : "phase " + phase, generation, now));
    status.setConditions(Conditions.with(status.getConditions(), ConditionType.Stalled,
        ConditionStatus.of(stalled), stalled ? stalledReason : Reason.Settled,
        stalled ? why : "phase " + phase, generation, now));
    return status;
  }
}
