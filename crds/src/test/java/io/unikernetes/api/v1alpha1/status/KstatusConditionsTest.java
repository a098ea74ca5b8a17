package io.unikernetes.api.v1alpha1.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class KstatusConditionsTest {

  private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

  private static UnikernelStatus withPhase(UnikernelPhase phase, Reason readyReason, String message) {
    UnikernelStatus status = new UnikernelStatus();
    status.setPhase(phase);
    if (readyReason != null) {
      status.setConditions(Conditions.with(null, ConditionType.Ready, ConditionStatus.of(phase == UnikernelPhase.Running),
          readyReason, message, 1L, NOW));
    }
    return KstatusConditions.apply(status, 1L, NOW);
  }

  private static ConditionStatus statusOf(UnikernelStatus status, ConditionType type) {
    return Conditions.find(status.getConditions(), type).orElseThrow().getStatus();
  }

  @Test
  void onTheWayToRunningIsReconciling() {
    for (UnikernelPhase phase : new UnikernelPhase[] {null, UnikernelPhase.Pending, UnikernelPhase.Scheduled,
        UnikernelPhase.Booting}) {
      UnikernelStatus status = withPhase(phase, null, null);
      assertThat(statusOf(status, ConditionType.Reconciling)).isEqualTo(ConditionStatus.True);
      assertThat(statusOf(status, ConditionType.Stalled)).isEqualTo(ConditionStatus.False);
    }
  }

  @Test
  void runningAndSucceededAreSettled() {
    for (UnikernelPhase phase : new UnikernelPhase[] {UnikernelPhase.Running, UnikernelPhase.Succeeded}) {
      UnikernelStatus status = withPhase(phase, Reason.Running, "runs");
      assertThat(statusOf(status, ConditionType.Reconciling)).isEqualTo(ConditionStatus.False);
      assertThat(statusOf(status, ConditionType.Stalled)).isEqualTo(ConditionStatus.False);
    }
  }

  @Test
  void failedIsStalledWithTheReadyReason() {
    UnikernelStatus status = withPhase(UnikernelPhase.Failed, Reason.ImageDigestMismatch, "digest differs");
    Condition stalled = Conditions.find(status.getConditions(), ConditionType.Stalled).orElseThrow();
    assertThat(stalled.getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(stalled.getReason()).isEqualTo("ImageDigestMismatch");
    assertThat(stalled.getMessage()).isEqualTo("digest differs");
  }
}
