package io.unikernetes.operator.scaletozero;

import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.unikernetes.api.v1alpha1.UnikernelDeployment;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.common.events.EventRecorder;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scales idle deployments to zero. A deployment's activity is the latest of: a connection the activator took
 * for it, traffic its guests' nodes forwarded to them (status.lastActivityTime), its creation or a change of
 * its spec (kubectl scale included: asking for replicas wins over idling for idleAfterSeconds), and the moment
 * this process first saw it (a new leader knows no older activity, so it waits a full period). A
 * HorizontalPodAutoscaler with minReplicas of 1 or more keeps the deployment up.
 */
public final class IdleScaler {

  private final KubernetesClient client;
  private final ActivityLog activity;
  private final Wakes wakes;
  private final ScaleToZeroMetrics metrics;
  private final EventRecorder events;
  private final boolean activatorAvailable;
  private final Map<String, Long> generations = new ConcurrentHashMap<>();

  public IdleScaler(KubernetesClient client, ActivityLog activity, Wakes wakes, ScaleToZeroMetrics metrics,
      EventRecorder events, boolean activatorAvailable) {
    this.client = client;
    this.activity = activity;
    this.wakes = wakes;
    this.metrics = metrics;
    this.events = events;
    this.activatorAvailable = activatorAvailable;
  }

  /**
   * Looks at one deployment with spec.scaleToZero, scales it to zero when idle (guarded: a replica count
   * changed meanwhile wins), and says what its condition is.
   */
  public IdlePolicy.Decision reconcile(UnikernelDeployment deployment, int replicas, Optional<Instant> guestActivity,
      Collection<HorizontalPodAutoscaler> autoscalers, Instant now) {
    DeploymentKey key = DeploymentKey.of(deployment);
    Long generation = deployment.getMetadata().getGeneration();
    Long seen = generations.put(deployment.getMetadata().getUid(), generation);
    if (seen == null || !seen.equals(generation)) {
      activity.touch(key, now); // created, changed, or first seen by this process (which knows no older activity)
    }
    guestActivity.ifPresent(at -> activity.touch(key, at));
    Instant last = activity.last(key).orElseThrow();
    IdlePolicy.Decision decision = IdlePolicy.decide(new IdlePolicy.Facts(deployment.getSpec().getScaleToZero(),
        replicas, last, holdingAutoscaler(autoscalers), activatorAvailable, wakes.waking(key)), now);
    if (decision.scaleDown() && !scaleToZero(key, replicas)) {
      return new IdlePolicy.Decision(false, false, Reason.Serving, "its replicas changed while it was scaled "
          + "to zero", java.util.Optional.of(java.time.Duration.ofSeconds(1)));
    }
    if (decision.scaleDown()) {
      metrics.scaledToZero(key);
      events.record(deployment, EventRecorder.Type.Normal, Reason.Idle, decision.message());
    }
    return decision;
  }

  /** Forgets a deleted deployment. */
  public void forget(UnikernelDeployment deployment) {
    generations.remove(deployment.getMetadata().getUid());
    activity.forget(DeploymentKey.of(deployment));
  }

  /** The first autoscaler asking for at least one replica, as namespace-less name. */
  private static Optional<String> holdingAutoscaler(Collection<HorizontalPodAutoscaler> autoscalers) {
    return autoscalers.stream()
        .filter(h -> h.getSpec() != null && (h.getSpec().getMinReplicas() == null || h.getSpec().getMinReplicas() > 0))
        .map(h -> h.getMetadata().getName()).sorted().findFirst();
  }

  /** Scales to 0 through /scale if it still has {@code expected} replicas; false when it changed meanwhile. */
  private boolean scaleToZero(DeploymentKey key, int expected) {
    var resource = client.resources(UnikernelDeployment.class).inNamespace(key.namespace()).withName(key.name());
    try {
      Scale scale = resource.scale();
      if (scale == null || scale.getSpec() == null || scale.getSpec().getReplicas() == null
          || scale.getSpec().getReplicas() != expected) {
        return false;
      }
      scale.getSpec().setReplicas(0);
      resource.scale(scale); // guarded by the resourceVersion read
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT || e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }
}
