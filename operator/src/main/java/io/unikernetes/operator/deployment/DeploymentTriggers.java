package io.unikernetes.operator.deployment;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.unikernetes.api.v1alpha1.UnikernelDeployment;
import java.util.Set;

/** Reconciles of deployments asked for by something that is not a watched object (a wake that finished). */
final class DeploymentTriggers extends AbstractEventSource<Void, UnikernelDeployment> {

  DeploymentTriggers() {
    super(Void.class, "deployment-triggers");
  }

  /** Makes the controller look at {@code deployment} again; ignored while the source is stopped. */
  void trigger(ResourceID deployment) {
    if (isRunning()) {
      getEventHandler().handleEvent(new Event(deployment));
    }
  }

  @Override
  public Set<Void> getSecondaryResources(UnikernelDeployment primary) {
    return Set.of();
  }
}
