package io.unikernetes.operator.scaletozero;

import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.unikernetes.api.v1alpha1.UnikernelDeployment;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.api.v1alpha1.status.WakeRecord;
import io.unikernetes.common.events.EventRecorder;
import io.unikernetes.operator.activator.ActivatorRoute;
import io.unikernetes.operator.activator.RouteListener;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes deployments at zero for the activator: the first held request to one of a deployment's Services
 * scales it from 0 to 1 through /scale (guarded by resourceVersion, so concurrent first requests, or a user's
 * scale in between, make one wake); the wake ends when a guest is Ready, and its latency goes to the metrics,
 * an Event and, through the deployment controller, status.lastWake. Connections count as activity. Called on
 * the activator's event loops and inside Service reconciles: what talks to the API server runs on a thread of
 * its own.
 */
public final class Wakes implements RouteListener {

  private static final Logger LOG = LoggerFactory.getLogger(Wakes.class);
  /** Attempts of the guarded scale-up when the /scale resource changes under it. */
  private static final int SCALE_ATTEMPTS = 3;

  private final KubernetesClient client;
  private final ActivityLog activity;
  private final ScaleToZeroMetrics metrics;
  private final EventRecorder events;
  private final Clock clock;
  private final ExecutorService api;
  private final Map<DeploymentKey, Pending> pending = new ConcurrentHashMap<>();
  private final Map<DeploymentKey, WakeRecord> finished = new ConcurrentHashMap<>();
  private volatile Function<DeploymentKey, Optional<UnikernelDeployment>> deployments = key -> Optional.empty();
  private volatile Consumer<DeploymentKey> changed = key -> { };

  /** A wake asked for and not finished; it stops holding idling off after {@code maxWake}. */
  private record Pending(Instant requested, String via, Duration maxWake, AtomicBoolean timeoutReported) {
  }

  public Wakes(KubernetesClient client, ActivityLog activity, ScaleToZeroMetrics metrics, EventRecorder events,
      Clock clock) {
    this.client = client;
    this.activity = activity;
    this.metrics = metrics;
    this.events = events;
    this.clock = clock;
    this.api = Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, "activator-wakes");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Connects the deployment controller: {@code deployments} looks deployments up in its cache, {@code changed}
   * makes it look at one again (a wake finished: its status shows it).
   */
  public void attach(Function<DeploymentKey, Optional<UnikernelDeployment>> deployments,
      Consumer<DeploymentKey> changed) {
    this.deployments = deployments;
    this.changed = changed;
  }

  /** The last wake of {@code deployment} this process finished, for its status. */
  public Optional<WakeRecord> lastWake(DeploymentKey deployment) {
    return Optional.ofNullable(finished.get(deployment));
  }

  /**
   * Whether a wake of {@code deployment} is under way: asked for at most its maxWake ago, and no guest Ready
   * since. A wake whose guest never turns Ready stops counting then, so the deployment can idle again.
   */
  public boolean waking(DeploymentKey deployment) {
    Pending wake = pending.get(deployment);
    return wake != null && !clock.instant().isAfter(wake.requested().plus(wake.maxWake()));
  }

  @Override
  public void connected(ActivatorRoute route) {
    Instant now = clock.instant();
    for (String name : route.deployments()) {
      DeploymentKey key = new DeploymentKey(route.key().namespace(), name);
      activity.touch(key, now);
      if (activity.isDraining(key)) {
        api.execute(() -> changed.accept(key)); // a request ends the drain: the deployment serves again now
      }
    }
  }

  @Override
  public void held(ActivatorRoute route) {
    Instant now = clock.instant();
    for (String name : route.deployments()) {
      DeploymentKey key = new DeploymentKey(route.key().namespace(), name);
      Pending mine = new Pending(now, route.key().toString(), route.maxWake(), new AtomicBoolean());
      // A wake older than maxWake is asked for again: the guest it started may have failed.
      Pending current = pending.compute(key, (k, p) -> p == null
          || Duration.between(p.requested(), now).compareTo(route.maxWake()) > 0 ? mine : p);
      if (current == mine) {
        api.execute(() -> scaleUp(key, mine));
      }
    }
  }

  @Override
  public void ready(ActivatorRoute route, Set<String> readyDeployments) {
    Instant now = clock.instant();
    for (String name : route.deployments()) {
      if (!readyDeployments.contains(name)) {
        continue;
      }
      DeploymentKey key = new DeploymentKey(route.key().namespace(), name);
      Pending done = pending.remove(key);
      if (done == null) {
        continue;
      }
      Duration latency = Duration.between(done.requested(), now);
      if (latency.compareTo(done.maxWake()) > 0) {
        continue; // its requests failed long ago: a guest Ready now (a later scale-up) did not answer them
      }
      metrics.wakeLatency(latency);
      finished.put(key, new WakeRecord(done.requested().truncatedTo(ChronoUnit.MILLIS).toString(),
          now.truncatedTo(ChronoUnit.MILLIS).toString(), latency.toMillis()));
      api.execute(() -> {
        deployments.apply(key).ifPresent(d -> events.record(d, EventRecorder.Type.Normal, Reason.Woken,
            "a request to Service " + done.via() + " woke it: a guest was Ready " + latency.toMillis()
                + " ms later"));
        changed.accept(key);
      });
    }
  }

  @Override
  public void timedOut(ActivatorRoute route) {
    for (String name : route.deployments()) {
      DeploymentKey key = new DeploymentKey(route.key().namespace(), name);
      metrics.timedOut(key);
      Pending waiting = pending.get(key);
      if (waiting != null && waiting.timeoutReported().compareAndSet(false, true)) {
        api.execute(() -> deployments.apply(key).ifPresent(d -> events.record(d, EventRecorder.Type.Warning,
            Reason.WakeTimedOut, "no guest Ready within maxWakeSeconds (" + route.maxWake().toSeconds()
                + " s) of a request to Service " + route.key() + ": held requests failed; the wake goes on")));
      }
    }
  }

  /** Scales {@code key} from 0 to 1; a deployment already above 0 is left alone (it is starting). */
  private void scaleUp(DeploymentKey key, Pending wake) {
    var resource = client.resources(UnikernelDeployment.class).inNamespace(key.namespace()).withName(key.name());
    for (int attempt = 1; attempt <= SCALE_ATTEMPTS; attempt++) {
      try {
        Scale scale = resource.scale();
        if (scale == null || scale.getSpec() == null) {
          pending.remove(key, wake); // deleted
          return;
        }
        Integer replicas = scale.getSpec().getReplicas();
        if (replicas != null && replicas > 0) {
          return;
        }
        scale.getSpec().setReplicas(1);
        resource.scale(scale); // carries the resourceVersion read: a change in between is a conflict
        metrics.woke(key);
        LOG.info("woke {} for a request to Service {}", key, wake.via());
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
          pending.remove(key, wake);
          return;
        }
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == SCALE_ATTEMPTS) {
          LOG.warn("could not wake {}: {}", key, e.getMessage());
          pending.remove(key, wake); // the next held request tries again
          return;
        }
      }
    }
  }

  /** Forgets {@code deployment}'s wakes: it no longer scales to zero. */
  public void forget(DeploymentKey deployment) {
    pending.remove(deployment);
    finished.remove(deployment);
  }

  /** Forgets the wakes of every deployment {@code live} does not hold (deleted ones). */
  public void retain(Predicate<DeploymentKey> live) {
    pending.keySet().removeIf(live.negate());
    finished.keySet().removeIf(live.negate());
  }

  /** Stops the thread that talks to the API server. */
  public void close() {
    api.shutdownNow();
  }
}
