package io.unikernetes.agent.guests;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.api.v1alpha1.status.Condition;
import io.unikernetes.api.v1alpha1.status.ConditionStatus;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.api.v1alpha1.status.UnikernelStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GuestReportTest {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  private static UnikernelStatus scheduled() {
    UnikernelStatus status = new UnikernelStatus();
    status.setPhase(UnikernelPhase.Scheduled);
    status.setNodeName("xen-01");
    status.setConditions(Conditions.with(null, ConditionType.Scheduled, ConditionStatus.True, Reason.Bound,
        "bound to XenNode xen-01", 1L, T0));
    return status;
  }

  @Test
  void bootingThenRunningKeepsTheSchedulersCondition() {
    UnikernelStatus status = scheduled();
    GuestReport report = GuestReport.from(status);
    status = report.with(UnikernelPhase.Booting, Reason.ImageDownloading, "fetching").applyTo(status, 1L, T0);
    assertThat(status.getPhase()).isEqualTo(UnikernelPhase.Booting);
    assertThat(Conditions.find(status.getConditions(), ConditionType.Ready)).get()
        .extracting(Condition::getStatus, Condition::getReason).containsExactly(ConditionStatus.False, "ImageDownloading");

    status = GuestReport.from(status).started("uuid-1", 0, T0.plusSeconds(1))
        .with(UnikernelPhase.Running, Reason.Running, "runs").applyTo(status, 1L, T0.plusSeconds(1));
    assertThat(status.getPhase()).isEqualTo(UnikernelPhase.Running);
    assertThat(status.getDomainUUID()).isEqualTo("uuid-1");
    assertThat(status.getStartTime()).isEqualTo("2026-11-24T10:00:01Z");
    assertThat(status.getRestartCount()).isZero();
    assertThat(status.getNodeName()).isEqualTo("xen-01");
    assertThat(Conditions.isTrue(status.getConditions(), ConditionType.Scheduled)).isTrue();
    assertThat(Conditions.find(status.getConditions(), ConditionType.Ready)).get()
        .extracting(Condition::getStatus, Condition::getLastTransitionTime)
        .containsExactly(ConditionStatus.True, "2026-11-24T10:00:01Z");
  }

  @Test
  void reapplyingTheSameReportChangesNothing() {
    UnikernelStatus running = GuestReport.from(scheduled()).started("uuid-1", 0, T0)
        .with(UnikernelPhase.Running, Reason.Running, "runs").applyTo(scheduled(), 1L, T0);
    UnikernelStatus again = GuestReport.from(running).applyTo(running.copy(), 1L, T0.plusSeconds(60));
    assertThat(again).isEqualTo(running);
  }

  @Test
  void consoleOutputAndBootTimeAreKeptOnceMeasured() {
    UnikernelStatus running = GuestReport.from(scheduled()).started("uuid-1", 0, T0)
        .with(UnikernelPhase.Running, Reason.Running, "runs").withConsole("UNIKERNEL READY\n", 412L)
        .applyTo(scheduled(), 1L, T0);
    UnikernelStatus later = GuestReport.from(running).withConsole("UNIKERNEL READY\n", null)
        .applyTo(running.copy(), 1L, T0);
    assertThat(later.getBootDurationMillis()).isEqualTo(412L);
    assertThat(later.getConsoleHead()).isEqualTo("UNIKERNEL READY\n");
  }

  @Test
  void aRestartCountsAndResetsBootMeasurements() {
    UnikernelStatus running = GuestReport.from(scheduled()).started("uuid-1", 0, T0)
        .with(UnikernelPhase.Running, Reason.Running, "runs").withConsole("old\n", 300L).applyTo(scheduled(), 1L, T0);
    UnikernelStatus restarted = GuestReport.from(running).started("uuid-1", 1, T0.plusSeconds(30))
        .with(UnikernelPhase.Running, Reason.Running, "restarted").applyTo(running.copy(), 1L, T0.plusSeconds(30));
    assertThat(restarted.getRestartCount()).isEqualTo(1);
    assertThat(restarted.getBootDurationMillis()).isNull();
    assertThat(restarted.getConsoleHead()).isNull();
  }

  @Test
  void terminalPhasesAreNotReady() {
    UnikernelStatus failed = GuestReport.from(scheduled())
        .with(UnikernelPhase.Failed, Reason.ImageDigestMismatch, "digest differs").applyTo(scheduled(), 1L, T0);
    assertThat(Conditions.find(failed.getConditions(), ConditionType.Ready)).get()
        .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly(ConditionStatus.False, "ImageDigestMismatch", "digest differs");
  }

  @Test
  void aRunningGuestWhoseProbeDoesNotPassIsNotReady() {
    UnikernelStatus probing = GuestReport.from(scheduled()).started("uuid-1", 0, T0)
        .with(UnikernelPhase.Running, Reason.ProbeFailed, "readiness probe: TCP 10.240.3.7:8081: connection refused")
        .applyTo(scheduled(), 1L, T0);
    assertThat(probing.getPhase()).isEqualTo(UnikernelPhase.Running);
    assertThat(Conditions.find(probing.getConditions(), ConditionType.Ready)).get()
        .extracting(Condition::getStatus, Condition::getReason).containsExactly(ConditionStatus.False, "ProbeFailed");
    assertThat(GuestReport.from(probing).with(UnikernelPhase.Running, Reason.LivenessProbeFailed, "restarting")
        .isReady()).isFalse();
  }
}
