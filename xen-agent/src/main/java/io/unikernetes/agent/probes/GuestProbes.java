package io.unikernetes.agent.probes;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.unikernetes.api.v1alpha1.Unikernel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Probes every running guest that has probes, on one scheduler thread and the {@link Prober}'s small pool
 * (no thread per guest), and triggers a reconcile of the guest whenever a verdict changes. The reconciler
 * reads the verdicts; it never waits for a probe.
 */
public class GuestProbes extends AbstractEventSource<GuestProbes.Verdicts, Unikernel> {

  /** A probe's standing: passing or not, and the last result's message. */
  public record Verdict(boolean passing, String message) {
  }

  /** The verdicts of one guest's probes; empty for a probe it does not have. */
  public record Verdicts(Optional<Verdict> readiness, Optional<Verdict> liveness) {
  }

  /** What a guest is probed for: its targets and the domain start they count from. Equal keys keep the worker. */
  public record Plan(Optional<ProbeTarget> readiness, Optional<ProbeTarget> liveness, Instant domainStart) {
  }

  private final Prober prober;
  private final Clock clock;
  private final Map<String, Worker> workers = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler;

  public GuestProbes(Prober prober, Clock clock) {
    super(Verdicts.class, "probes");
    this.prober = prober;
    this.clock = clock;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "guest-probes");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Probes the guest with this UID as {@code plan} says, starting over if the plan changed. */
  public void ensure(String uid, ResourceID guest, Plan plan) {
    Worker current = workers.get(uid);
    if (current != null && current.plan.equals(plan)) {
      return;
    }
    forget(uid);
    Worker worker = new Worker(guest, plan);
    workers.put(uid, worker);
    worker.start();
  }

  public void forget(String uid) {
    Worker worker = workers.remove(uid);
    if (worker != null) {
      worker.stop();
    }
  }

  /** The guest's verdicts, or empty when it is not probed. */
  public Optional<Verdicts> verdicts(String uid) {
    return Optional.ofNullable(workers.get(uid)).map(Worker::verdicts);
  }

  @Override
  public Set<Verdicts> getSecondaryResources(Unikernel primary) {
    return verdicts(primary.getMetadata().getUid()).map(Set::of).orElse(Set.of());
  }

  @Override
  public synchronized void stop() {
    workers.keySet().forEach(this::forget);
    scheduler.shutdownNow();
    prober.close();
    super.stop();
  }

  private void changed(ResourceID guest) {
    if (isRunning()) {
      getEventHandler().handleEvent(new Event(guest));
    }
  }

  /** The probes of one guest: a counter and a schedule per probe. */
  private final class Worker {
    private final ResourceID guest;
    private final Plan plan;
    private final Probing readiness;
    private final Probing liveness;

    Worker(ResourceID guest, Plan plan) {
      this.guest = guest;
      this.plan = plan;
      this.readiness = plan.readiness().map(t -> new Probing(t, new ProbeCounter(t.successThreshold(),
          t.failureThreshold(), false, t.describe() + ": not probed yet"))).orElse(null);
      this.liveness = plan.liveness().map(t -> new Probing(t, new ProbeCounter(t.successThreshold(),
          t.failureThreshold(), true, t.describe() + ": not probed yet"))).orElse(null);
    }

    void start() {
      Duration sinceStart = Duration.between(plan.domainStart(), clock.instant());
      for (Probing probing : new Probing[] {readiness, liveness}) {
        if (probing != null) {
          long delay = Math.max(0, probing.target.initialDelay().minus(sinceStart).toMillis());
          probing.schedule = scheduler.scheduleAtFixedRate(probing::tick, delay,
              probing.target.period().toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    }

    void stop() {
      for (Probing probing : new Probing[] {readiness, liveness}) {
        if (probing != null && probing.schedule != null) {
          probing.schedule.cancel(false);
        }
      }
    }

    Verdicts verdicts() {
      return new Verdicts(Optional.ofNullable(readiness).map(Probing::verdict),
          Optional.ofNullable(liveness).map(Probing::verdict));
    }

    /** One probe of the guest; a tick while the previous probe is still out is skipped. */
    private final class Probing {
      private final ProbeTarget target;
      private final ProbeCounter counter;
      private final AtomicBoolean inFlight = new AtomicBoolean();
      private ScheduledFuture<?> schedule;

      Probing(ProbeTarget target, ProbeCounter counter) {
        this.target = target;
        this.counter = counter;
      }

      void tick() {
        if (!inFlight.compareAndSet(false, true)) {
          return;
        }
        prober.probe(target).whenComplete((result, error) -> {
          boolean changed;
          synchronized (counter) {
            changed = counter.record(error != null ? new ProbeResult(false, target.describe() + ": " + error)
                : result);
          }
          inFlight.set(false);
          if (changed) {
            changed(guest);
          }
        });
      }

      Verdict verdict() {
        synchronized (counter) {
          return new Verdict(counter.passing(), counter.message());
        }
      }
    }
  }
}
