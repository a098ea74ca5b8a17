package io.unikernetes.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** The operator's own metrics, next to the reconciliation metrics java-operator-sdk records. */
public class SchedulingMetrics {

  private final Timer schedulingLatency;
  private final Counter bound;
  private final Counter unschedulable;

  private final MeterRegistry registry;

  public SchedulingMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.schedulingLatency = Timer.builder("unikernetes.scheduling.latency")
        .description("Time from a Unikernel's creation to its binding to a XenNode")
        .publishPercentileHistogram()
        .register(registry);
    this.bound = Counter.builder("unikernetes.scheduling.attempts").tag("result", "bound")
        .description("Scheduling attempts by result").register(registry);
    this.unschedulable = Counter.builder("unikernetes.scheduling.attempts").tag("result", "unschedulable")
        .description("Scheduling attempts by result").register(registry);
  }

  /** Gauges of guests by phase, read from {@code guests} at each scrape. */
  public void observeGuests(Supplier<Stream<Unikernel>> guests) {
    for (UnikernelPhase phase : UnikernelPhase.values()) {
      Gauge.builder("unikernetes.guests", () -> guests.get().filter(g -> phaseOf(g) == phase).count())
          .tag("phase", phase.name())
          .description("Unikernels by phase, as the operator's cache sees them")
          .register(registry);
    }
  }

  public void bound(Duration sinceCreation) {
    bound.increment();
    schedulingLatency.record(sinceCreation);
  }

  public void unschedulable() {
    unschedulable.increment();
  }

  private static UnikernelPhase phaseOf(Unikernel guest) {
    UnikernelPhase phase = guest.getStatus() == null ? null : guest.getStatus().getPhase();
    return phase == null ? UnikernelPhase.Pending : phase;
  }
}
