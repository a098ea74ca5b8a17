package io.unikernetes.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;

class MetricsRegistryTest {

  @Test
  void coreAndNamedGroupKindsShareOneMeter() {
    var registry = MetricsRegistry.prometheus();
    Counter.builder("operator.sdk.events.received").tags("kind", "Service", "version", "v1").register(registry)
        .increment();
    Counter.builder("operator.sdk.events.received").tags("kind", "XenNode", "version", "v1alpha1",
        "group", "unikernetes.io").register(registry).increment();
    assertThat(registry.scrape())
        .contains("operator_sdk_events_received_total{group=\"core\",kind=\"Service\",version=\"v1\"} 1.0")
        .contains("operator_sdk_events_received_total{group=\"unikernetes.io\",kind=\"XenNode\",version=\"v1alpha1\"} 1.0");
  }

  @Test
  void executionMetersGetTheirResourceGroupToo() {
    var registry = MetricsRegistry.prometheus();
    Counter.builder("operator.sdk.controllers.execution.reconcile").tags("controller", "services",
        "resource.kind", "Service").register(registry).increment();
    Counter.builder("operator.sdk.controllers.execution.reconcile").tags("controller", "nodes",
        "resource.kind", "XenNode", "resource.group", "unikernetes.io").register(registry).increment();
    assertThat(registry.scrape())
        .contains("controller=\"services\",resource_group=\"core\",resource_kind=\"Service\"")
        .contains("controller=\"nodes\",resource_group=\"unikernetes.io\",resource_kind=\"XenNode\"");
  }
}
