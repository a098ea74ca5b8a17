package io.unikernetes.agent.probes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProbeCounterTest {

  private static final ProbeResult PASS = new ProbeResult(true, "HTTP 200");
  private static final ProbeResult FAIL = new ProbeResult(false, "connection refused");

  @Test
  void readinessPassesOnlyAfterSuccessThresholdPassesInARow() {
    ProbeCounter readiness = new ProbeCounter(2, 3, false, "not probed yet");
    assertThat(readiness.passing()).isFalse();
    assertThat(readiness.record(PASS)).isFalse();
    assertThat(readiness.record(FAIL)).isFalse();
    assertThat(readiness.record(PASS)).isFalse();
    assertThat(readiness.record(PASS)).isTrue();
    assertThat(readiness.passing()).isTrue();
    assertThat(readiness.message()).isEqualTo("HTTP 200");
  }

  @Test
  void livenessFailsOnlyAfterFailureThresholdFailuresInARow() {
    ProbeCounter liveness = new ProbeCounter(1, 3, true, "not probed yet");
    assertThat(liveness.record(FAIL)).isFalse();
    assertThat(liveness.record(FAIL)).isFalse();
    assertThat(liveness.record(PASS)).isFalse();
    assertThat(liveness.failures()).isZero();
    liveness.record(FAIL);
    liveness.record(FAIL);
    assertThat(liveness.record(FAIL)).isTrue();
    assertThat(liveness.passing()).isFalse();
    assertThat(liveness.message()).isEqualTo("connection refused");
    assertThat(liveness.record(PASS)).isTrue();
  }
}
