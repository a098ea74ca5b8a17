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
  private static final Duration GRACE = Duration.ofSeconds(20);

  private static IdlePolicy.Facts facts(int replicas, Duration idleFor) {
    return new IdlePolicy.Facts(SPEC, replicas, NOW.minus(idleFor), Optional.empty(), GRACE, Optional.empty(),
        true, true, false);
  }

  private static IdlePolicy.Decision decide(IdlePolicy.Facts facts) {
    return IdlePolicy.decide(facts, NOW);
  }

  @Test
  void aDeploymentIdleForIdleAfterSecondsDrainsFirst() {
    IdlePolicy.Decision decision = decide(facts(2, Duration.ofSeconds(60)));
    assertThat(decision.step()).isEqualTo(IdlePolicy.Step.DRAIN);
    assertThat(decision.scaledToZero()).isFalse();
    assertThat(decision.reason()).isEqualTo(Reason.Draining);
    assertThat(decision.recheckIn()).contains(GRACE);
  }

  @Test
  void aDrainWithoutRequestsForItsGraceEndsAtZero() {
    IdlePolicy.Facts drained = new IdlePolicy.Facts(SPEC, 2, NOW.minusSeconds(90), Optional.of(NOW.minus(GRACE)),
        GRACE, Optional.empty(), true, true, false);
    IdlePolicy.Decision decision = decide(drained);
    assertThat(decision.step()).isEqualTo(IdlePolicy.Step.SCALE_DOWN);
    assertThat(decision.scaledToZero()).isTrue();
    assertThat(decision.reason()).isEqualTo(Reason.Idle);

    IdlePolicy.Facts midway = new IdlePolicy.Facts(SPEC, 2, NOW.minusSeconds(70), Optional.of(NOW.minusSeconds(5)),
        GRACE, Optional.empty(), true, true, false);
    assertThat(decide(midway).step()).isEqualTo(IdlePolicy.Step.DRAIN);
    assertThat(decide(midway).recheckIn()).contains(Duration.ofSeconds(15));
  }

  @Test
  void aRequestDuringTheDrainServesAgain() {
    IdlePolicy.Facts requested = new IdlePolicy.Facts(SPEC, 1, NOW.minusSeconds(3), Optional.of(NOW.minusSeconds(10)),
        GRACE, Optional.empty(), true, true, false);
    assertThat(decide(requested).step()).isEqualTo(IdlePolicy.Step.SERVE);
  }

  @Test
  void aServingDeploymentIsLookedAtAgainWhenItsIdleTimeEnds() {
    IdlePolicy.Decision decision = decide(facts(1, Duration.ofSeconds(45)));
    assertThat(decision.step()).isEqualTo(IdlePolicy.Step.SERVE);
    assertThat(decision.reason()).isEqualTo(Reason.Serving);
    assertThat(decision.recheckIn()).contains(Duration.ofSeconds(15));
    // The message does not move with time: an unchanged status is not written again.
    assertThat(decision.message()).isEqualTo(decide(facts(1, Duration.ofSeconds(5))).message());
  }

  @Test
  void anAutoscalerAskingForReplicasKeepsItUp() {
    IdlePolicy.Decision decision = decide(new IdlePolicy.Facts(SPEC, 3, NOW.minusSeconds(3600), Optional.empty(),
        GRACE, Optional.of("web"), true, true, false));
    assertThat(decision.step()).isEqualTo(IdlePolicy.Step.STAY);
    assertThat(decision.reason()).isEqualTo(Reason.AutoscalerMinReplicas);
    assertThat(decision.message()).contains("web");
  }

  @Test
  void withoutAnActivatorOrAServiceNothingCouldWakeIt() {
    IdlePolicy.Decision noActivator = decide(new IdlePolicy.Facts(SPEC, 1, NOW.minusSeconds(3600),
        Optional.empty(), GRACE, Optional.empty(), false, false, false));
    assertThat(noActivator.step()).isEqualTo(IdlePolicy.Step.STAY);
    assertThat(noActivator.reason()).isEqualTo(Reason.ActivatorUnavailable);
    assertThat(noActivator.message()).contains("--activator-address");
    IdlePolicy.Decision noService = decide(new IdlePolicy.Facts(SPEC, 1, NOW.minusSeconds(3600), Optional.empty(),
        GRACE, Optional.empty(), true, false, false));
    assertThat(noService.step()).isEqualTo(IdlePolicy.Step.STAY);
    assertThat(noService.reason()).isEqualTo(Reason.NoService);
  }

  @Test
  void aWakeUnderWayIsNotUndone() {
    assertThat(decide(new IdlePolicy.Facts(SPEC, 1, NOW.minusSeconds(3600), Optional.empty(), GRACE,
        Optional.empty(), true, true, true)).step()).isEqualTo(IdlePolicy.Step.SERVE);
  }

  @Test
  void atZeroItIsScaledToZero() {
    IdlePolicy.Decision decision = decide(facts(0, Duration.ZERO));
    assertThat(decision.step()).isEqualTo(IdlePolicy.Step.STAY);
    assertThat(decision.scaledToZero()).isTrue();
    assertThat(decision.recheckIn()).isEmpty();
  }
}
