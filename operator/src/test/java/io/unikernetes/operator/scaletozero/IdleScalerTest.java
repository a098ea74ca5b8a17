package io.unikernetes.operator.scaletozero;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.unikernetes.api.v1alpha1.UnikernelDeployment;
import io.unikernetes.api.v1alpha1.spec.ScaleToZero;
import io.unikernetes.api.v1alpha1.spec.UnikernelDeploymentSpec;
import io.unikernetes.common.events.EventRecorder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What IdleScaler remembers per deployment; the steps themselves are IdlePolicyTest's (no API call here). */
class IdleScalerTest {

  private static final Instant START = Instant.parse("2026-12-06T12:00:00Z");
  private static final DeploymentKey KEY = new DeploymentKey("ns", "web");

  private final ActivityLog activity = new ActivityLog();
  private final Clock clock = Clock.fixed(START, ZoneOffset.UTC);
  private final ScaleToZeroMetrics metrics = new ScaleToZeroMetrics(new SimpleMeterRegistry());
  private final EventRecorder events = new EventRecorder(null, "test", "test", clock);
  private final IdleScaler scaler = new IdleScaler(null, activity, new Wakes(null, activity, metrics, events, clock),
      metrics, events, true, key -> true);

  private static UnikernelDeployment deployment(String uid, long generation) {
    UnikernelDeployment deployment = new UnikernelDeployment();
    deployment.getMetadata().setNamespace(KEY.namespace());
    deployment.getMetadata().setName(KEY.name());
    deployment.getMetadata().setUid(uid);
    deployment.getMetadata().setGeneration(generation);
    UnikernelDeploymentSpec spec = new UnikernelDeploymentSpec();
    spec.setScaleToZero(new ScaleToZero(60, 10));
    deployment.setSpec(spec);
    return deployment;
  }

  private IdlePolicy.Decision look(UnikernelDeployment deployment, int replicas, boolean draining, Instant now) {
    return scaler.reconcile(deployment, replicas, draining, Optional.empty(), List.of(), now);
  }

  @Test
  void firstSightANewGenerationAndARecreatedDeploymentCountAsActivityAndALookAgainDoesNot() {
    look(deployment("uid-1", 1), 1, false, START);
    assertThat(activity.last(KEY)).contains(START);
    look(deployment("uid-1", 1), 1, false, START.plusSeconds(30));
    assertThat(activity.last(KEY)).contains(START);
    look(deployment("uid-1", 2), 1, false, START.plusSeconds(40)); // kubectl scale: a spec change
    assertThat(activity.last(KEY)).contains(START.plusSeconds(40));
    look(deployment("uid-2", 2), 1, false, START.plusSeconds(50)); // deleted and created again, same generation
    assertThat(activity.last(KEY)).contains(START.plusSeconds(50));
  }

  @Test
  void retainDropsWhatIsKeptOfDeploymentsTheCacheNoLongerHolds() {
    look(deployment("uid-1", 1), 1, false, START);
    IdlePolicy.Decision draining = look(deployment("uid-1", 1), 1, false, START.plusSeconds(61));
    assertThat(draining.step()).isEqualTo(IdlePolicy.Step.DRAIN);
    assertThat(activity.isDraining(KEY)).isTrue();

    scaler.retain(key -> !key.equals(KEY));

    assertThat(activity.last(KEY)).isEmpty();
    assertThat(activity.isDraining(KEY)).isFalse();
    // Forgotten: seen again, it counts as first sight and serves, as after an operator restart.
    assertThat(look(deployment("uid-1", 1), 1, false, START.plusSeconds(62)).step())
        .isEqualTo(IdlePolicy.Step.SERVE);
    assertThat(activity.last(KEY)).contains(START.plusSeconds(62));
  }

  @Test
  void forgetDropsADeploymentThatNoLongerScalesToZero() {
    look(deployment("uid-1", 1), 1, false, START);
    scaler.forget(KEY);
    assertThat(activity.last(KEY)).isEmpty();
  }
}
