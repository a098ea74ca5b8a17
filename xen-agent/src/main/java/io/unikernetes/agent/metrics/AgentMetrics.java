package io.unikernetes.agent.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** The agent's guest metrics; libvirt call latency and errors are recorded by the hypervisor layer. */
public class AgentMetrics {

  private final MeterRegistry registry;
  private final Timer bootDuration;

  public AgentMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.bootDuration = Timer.builder("unikernetes.guest.boot.duration")
        .description("Time from starting a guest's domain to its first console line")
        .publishPercentileHistogram()
        .register(registry);
  }

  public void booted(Duration duration) {
    bootDuration.record(duration);
  }

  /** Gauges of this node's guests by phase, read from {@code guests} at each scrape. */
  public void observeGuests(Supplier<Stream<Unikernel>> guests) {
    for (UnikernelPhase phase : UnikernelPhase.values()) {
      Gauge.builder("unikernetes.node.guests", () -> guests.get()
              .filter(g -> g.getStatus() != null && g.getStatus().getPhase() == phase).count())
          .tag("phase", phase.name())
          .description("Guests bound to this node, by phase")
          .register(registry);
    }
  }
}
