package io.unikernetes.operator.scaletozero;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * Scale-to-zero metrics: wakes, their latency, held connections, timeouts and idle scale-downs. Counters carry
 * the deployment's namespace and name; the latency histogram does not, to keep its series few.
 */
public final class ScaleToZeroMetrics {

  private final MeterRegistry registry;
  private final Timer wakeLatency;

  public ScaleToZeroMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.wakeLatency = Timer.builder("unikernetes.activator.wake.latency")
        .description("From the first held request to a deployment at zero until a guest of it was Ready and held "
            + "requests went to it")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(50))
        .maximumExpectedValue(Duration.ofMinutes(5))
        .register(registry);
  }

  /** The gauge of connections the activator holds now. */
  public void observeHeld(IntSupplier held) {
    Gauge.builder("unikernetes.activator.held.connections", held::getAsInt)
        .description("Connections the activator holds while their deployment wakes").register(registry);
  }

  /** A deployment was scaled from 0 to 1 by a request. */
  public void woke(DeploymentKey deployment) {
    counter("unikernetes.activator.wakes", "Scale-ups from zero replicas caused by a held request", deployment)
        .increment();
  }

  /** A wake finished after {@code latency}. */
  public void wakeLatency(Duration latency) {
    wakeLatency.record(latency);
  }

  /** A held request waited maxWakeSeconds and was failed. */
  public void timedOut(DeploymentKey deployment) {
    counter("unikernetes.activator.wake.timeouts", "Held requests failed after maxWakeSeconds without a Ready "
        + "guest", deployment).increment();
  }

  /** A deployment was idle for idleAfterSeconds and scaled to zero. */
  public void scaledToZero(DeploymentKey deployment) {
    counter("unikernetes.idle.scale.downs", "Deployments scaled to zero for want of requests", deployment)
        .increment();
  }

  private Counter counter(String name, String description, DeploymentKey deployment) {
    return Counter.builder(name).description(description).tag("namespace", deployment.namespace())
        .tag("deployment", deployment.name()).register(registry);
  }
}
