package io.unikernetes.agent.guests;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.ResolvedControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.unikernetes.api.v1alpha1.ApiGroup;
import io.unikernetes.api.v1alpha1.Unikernel;
import java.time.Duration;

/**
 * How the agent's guest controller watches: only the Unikernels whose {@code spec.nodeName} is this node (a
 * CRD selectable field, immutable once set, so no label edit can take a guest away from its agent), holding
 * the domain finalizer, and looking at every guest at least once per resync period so a missed libvirt event
 * never leaves status wrong for longer.
 */
public final class GuestControllerConfiguration {

  private GuestControllerConfiguration() {
  }

  public static ControllerConfiguration<Unikernel> of(Operator operator, GuestReconciler reconciler, String nodeName,
      Duration resync) {
    ControllerConfiguration<Unikernel> base = ControllerConfigurationOverrider
        .override(operator.getConfigurationService().getConfigurationFor(reconciler))
        .withName("guests")
        .withFinalizer(ApiGroup.DOMAIN_FINALIZER)
        .withReconciliationMaxInterval(resync)
        .build();
    // java-operator-sdk's overrider has no field selector (5.2); the informer configuration has one.
    InformerConfiguration<Unikernel> informer = InformerConfiguration.builder(base.getInformerConfig())
        .withFieldSelector(new FieldSelector(new FieldSelector.Field("spec.nodeName", nodeName)))
        .buildForController();
    return new ResolvedControllerConfiguration<>(base) {
      @Override
      public InformerConfiguration<Unikernel> getInformerConfig() {
        return informer;
      }
    };
  }
}
