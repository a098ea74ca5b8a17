package io.unikernetes.operator.scaletozero;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.api.v1alpha1.spec.ScaleToZero;
import io.unikernetes.api.v1alpha1.status.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdlePolicyTest {

  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  private static final ScaleToZero SPEC = new ScaleToZero(60, 10);

  private static IdlePolicy.Decision decide(int replicas, Duration idleFor, Optional<String> autoscaler,
      boolean activator, boolean waking) {
    return IdlePolicy.decide(new IdlePolicy.Facts(SPEC, replicas, NOW.minus(idleFor), autoscaler, activator,
        waking), NOW);
  }

  @Test
  void aDeploymentWithoutRequestsForIdleAfterSecondsGoesToZero() {
    IdlePolicy.Decision decision = decide(2, Duration.ofSeconds(60), Optional.empty(), true, false);
    assertThat(decision.scaleDown()).isTrue();
    assertThat(decision.scaledToZero()).isTrue();
    assertThat(decision.reason()).isEqualTo(Reason.Idle);
  }

  @Test
  void aServingDeploymentIsLookedAtAgainWhenItsIdleTimeEnds() {
    IdlePolicy.Decision decision = decide(1, Duration.ofSeconds(45), Optional.empty(), true, false);
    assertThat(decision.scaleDown()).isFalse();
    assertThat(decision.scaledToZero()).isFalse();
    assertThat(decision.reason()).isEqualTo(Reason.Serving);
    assertThat(decision.recheckIn()).contains(Duration.ofSeconds(15));
    // The message does not move with time: an unchanged status is not written again.
    assertThat(decision.message()).isEqualTo(decide(1, Duration.ofSeconds(5), Optional.empty(), true, false)
        .message());
  }

  @Test
  void anAutoscalerAskingForReplicasKeepsItUp() {
    IdlePolicy.Decision decision = decide(3, Duration.ofHours(1), Optional.of("web"), true, false);
    assertThat(decision.scaleDown()).isFalse();
    assertThat(decision.reason()).isEqualTo(Reason.AutoscalerMinReplicas);
    assertThat(decision.message()).contains("web");
  }

  @Test
  void withoutAnActivatorNothingCouldWakeIt() {
    IdlePolicy.Decision decision = decide(1, Duration.ofHours(1), Optional.empty(), false, false);
    assertThat(decision.scaleDown()).isFalse();
    assertThat(decision.reason()).isEqualTo(Reason.ActivatorUnavailable);
    assertThat(decision.message()).contains("--activator-address");
  }

  @Test
  void aWakeUnderWayIsNotUndone() {
    assertThat(decide(1, Duration.ofHours(1), Optional.empty(), true, true).scaleDown()).isFalse();
  }

  @Test
  void atZeroItIsScaledToZero() {
    IdlePolicy.Decision decision = decide(0, Duration.ZERO, Optional.empty(), true, false);
    assertThat(decision.scaleDown()).isFalse();
    assertThat(decision.scaledToZero()).isTrue();
    assertThat(decision.recheckIn()).isEmpty();
  }
}
