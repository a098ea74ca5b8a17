package io.unikernetes.operator.scaletozero;

import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.unikernetes.api.v1alpha1.UnikernelDeployment;
import io.unikernetes.api.v1alpha1.spec.ScaleToZero;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.common.events.EventRecorder;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Scales idle deployments to zero, through a drain ({@link IdlePolicy}). A deployment's activity is the latest
 * of: a connection the activator took for it, traffic its guests' nodes forwarded to them
 * (status.lastActivityTime), a guest turning Ready, its creation or a change of its spec (kubectl scale
 * included: asking for replicas wins over idling for idleAfterSeconds), and the moment this process first saw
 * it (a new leader knows no older activity, so it waits a full period). A HorizontalPodAutoscaler with
 * minReplicas of 1 or more keeps the deployment up.
 */
public final class IdleScaler {

  /** Slack of a drain beyond the guests' report period: the agent's 2 s poll and the status write's way here. */
  private static final Duration DRAIN_SLACK = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final ActivityLog activity;
  private final Wakes wakes;
  private final ScaleToZeroMetrics metrics;
  private final EventRecorder events;
  private final boolean activatorAvailable;
  private final Predicate<DeploymentKey> routed;
  private final Map<DeploymentKey, Seen> seen = new ConcurrentHashMap<>();
  private final Map<DeploymentKey, Instant> draining = new ConcurrentHashMap<>();

  /** The object and generation of a deployment last looked at: another one (or a recreated one) is activity. */
  private record Seen(String uid, Long generation) {
  }

  /** @param routed whether an activator port fronts a deployment (a Service could wake it) */
  public IdleScaler(KubernetesClient client, ActivityLog activity, Wakes wakes, ScaleToZeroMetrics metrics,
      EventRecorder events, boolean activatorAvailable, Predicate<DeploymentKey> routed) {
    this.client = client;
    this.activity = activity;
    this.wakes = wakes;
    this.metrics = metrics;
    this.events = events;
    this.activatorAvailable = activatorAvailable;
    this.routed = routed;
  }

  /**
   * How often nodes report a guest's traffic: a quarter of idleAfterSeconds, from 2 to 60 s, so a busy guest
   * costs at most one status write per period.
   */
  public static Duration reportPeriod(ScaleToZero spec) {
    return Duration.ofSeconds(Math.max(2, Math.min(60, spec.idleAfter().toSeconds() / 4)));
  }

  /** How long a drain lasts: the report period and its slack, so traffic just before it is seen. */
  public static Duration drainGrace(ScaleToZero spec) {
    return reportPeriod(spec).plus(DRAIN_SLACK);
  }

  /**
   * Looks at one deployment with spec.scaleToZero: drains it, scales it to zero (guarded: a replica count
   * changed meanwhile wins) or leaves it, and says what its condition is.
   *
   * @param draining whether its ScaledToZero condition says Draining now
   * @param guestActivity the latest traffic or Ready transition of its guests, if any
   */
  public IdlePolicy.Decision reconcile(UnikernelDeployment deployment, int replicas, boolean draining,
      Optional<Instant> guestActivity, Collection<HorizontalPodAutoscaler> autoscalers, Instant now) {
    DeploymentKey key = DeploymentKey.of(deployment);
    Seen current = new Seen(deployment.getMetadata().getUid(), deployment.getMetadata().getGeneration());
    if (!current.equals(seen.put(key, current))) {
      activity.touch(key, now); // created, changed, or first seen by this process (which knows no older activity)
    }
    guestActivity.ifPresent(at -> activity.touch(key, at));
    ScaleToZero spec = deployment.getSpec().getScaleToZero();
    // A drain this process did not see begin (a new leader) begins again now.
    Optional<Instant> since = draining ? Optional.of(this.draining.computeIfAbsent(key, k -> now)) : Optional.empty();
    IdlePolicy.Decision decision = IdlePolicy.decide(new IdlePolicy.Facts(spec, replicas,
        activity.last(key).orElseThrow(), since, drainGrace(spec), holdingAutoscaler(autoscalers),
        activatorAvailable, routed.test(key), wakes.waking(key)), now);
    activity.draining(key, decision.step() == IdlePolicy.Step.DRAIN);
    switch (decision.step()) {
      case DRAIN -> this.draining.putIfAbsent(key, now);
      case SCALE_DOWN -> {
        this.draining.remove(key);
        Optional<String> scaled = scaleToZero(key, replicas);
        if (scaled.isEmpty()) {
          return new IdlePolicy.Decision(IdlePolicy.Step.SERVE, false, Reason.Serving, "its replicas changed as it "
              + "was about to go to zero", Optional.of(Duration.ofSeconds(1)));
        }
        // The status written next goes on top of this scale, not against the version read before it.
        if (!scaled.get().isEmpty()) {
          deployment.getMetadata().setResourceVersion(scaled.get());
        }
        metrics.scaledToZero(key);
        events.record(deployment, EventRecorder.Type.Normal, Reason.Idle, decision.message());
      }
      default -> this.draining.remove(key);
    }
    return decision;
  }

  /** Forgets a deployment that no longer scales to zero. */
  public void forget(DeploymentKey deployment) {
    seen.remove(deployment);
    activity.forget(deployment);
    draining.remove(deployment);
  }

  /** Forgets every deployment {@code live} does not hold (deleted ones: nothing tells this class of them). */
  public void retain(Predicate<DeploymentKey> live) {
    seen.keySet().removeIf(live.negate());
    draining.keySet().removeIf(live.negate());
    activity.retain(live);
  }

  /** The first autoscaler asking for at least one replica, as namespace-less name. */
  private static Optional<String> holdingAutoscaler(Collection<HorizontalPodAutoscaler> autoscalers) {
    return autoscalers.stream()
        .filter(h -> h.getSpec() != null && (h.getSpec().getMinReplicas() == null || h.getSpec().getMinReplicas() > 0))
        .map(h -> h.getMetadata().getName()).sorted().findFirst();
  }

  /**
   * Scales to 0 through /scale if it still has {@code expected} replicas: the deployment's resourceVersion
   * after it ("" if the answer had none), or empty when its replicas changed meanwhile (or it is gone).
   */
  private Optional<String> scaleToZero(DeploymentKey key, int expected) {
    var resource = client.resources(UnikernelDeployment.class).inNamespace(key.namespace()).withName(key.name());
    try {
      Scale scale = resource.scale();
      if (scale == null || scale.getSpec() == null || scale.getSpec().getReplicas() == null
          || scale.getSpec().getReplicas() != expected) {
        return Optional.empty();
      }
      scale.getSpec().setReplicas(0);
      Scale scaled = resource.scale(scale); // guarded by the resourceVersion read
      return Optional.of(scaled == null || scaled.getMetadata() == null
          || scaled.getMetadata().getResourceVersion() == null ? "" : scaled.getMetadata().getResourceVersion());
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT || e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
