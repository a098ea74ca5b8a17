package io.unikernetes.common.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The components' Prometheus registry, served on /metrics. */
public final class MetricsRegistry {

  static final String CORE_GROUP = "core";

  private MetricsRegistry() {
  }

  public static PrometheusMeterRegistry prometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(coreGroupTag());
    return registry;
  }

  /**
   * java-operator-sdk tags its per-kind meters with {@code group} only for kinds that have one, while Prometheus
   * wants every meter of a name to carry the same tag keys: the first core kind's meter (a Service's events)
   * made every later one with a group fail to register, and warn. Core kinds get {@code group="core"} (and {@code resource.group}), the name
   * Kubernetes' documentation gives the unnamed group.
   */
  static MeterFilter coreGroupTag() {
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith("operator.sdk.")) {
          return id;
        }
        Meter.Id tagged = id;
        for (String prefix : new String[] {"", "resource."}) { // events carry kind, executions resource.kind
          if (tagged.getTag(prefix + "kind") != null && tagged.getTag(prefix + "group") == null) {
            tagged = tagged.withTag(Tag.of(prefix + "group", CORE_GROUP));
          }
        }
        return tagged;
      }
    };
  }
}
