package io.unikernetes.agent.guests;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.unikernetes.agent.hypervisor.DomainNames;
import io.unikernetes.agent.hypervisor.Hypervisor;
import io.unikernetes.api.v1alpha1.Unikernel;
import java.util.Set;

/** Turns libvirt lifecycle events (started, stopped, crashed...) into reconciles of the owning Unikernel. */
public class DomainEventSource extends AbstractEventSource<String, Unikernel> {

  public DomainEventSource(Hypervisor hypervisor) {
    super(String.class, "libvirt-domains");
    hypervisor.onLifecycleEvent(domainName -> {
      if (isRunning()) {
        DomainNames.parse(domainName).ifPresent(ref ->
            getEventHandler().handleEvent(new Event(new ResourceID(ref.name(), ref.namespace()))));
      }
    });
  }

  @Override
  public Set<String> getSecondaryResources(Unikernel primary) {
    return Set.of();
  }
}
