package io.unikernetes.agent.guests;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.unikernetes.agent.hypervisor.Hypervisor;
import io.unikernetes.api.v1alpha1.Unikernel;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Turns libvirt lifecycle events (started, stopped, crashed...) into reconciles of the owning Unikernel, and a
 * reconnect to libvirt (events missed meanwhile) into a reconcile of every guest.
 */
public class DomainEventSource extends AbstractEventSource<String, Unikernel> {

  public DomainEventSource(Hypervisor hypervisor, Supplier<Stream<Unikernel>> guests) {
    super(String.class, "libvirt-domains");
    hypervisor.onLifecycleEvent(owner -> {
      if (isRunning()) {
        getEventHandler().handleEvent(new Event(new ResourceID(owner.name(), owner.namespace())));
      }
    });
    hypervisor.onReconnect(() -> {
      if (isRunning()) {
        guests.get().forEach(g -> getEventHandler().handleEvent(new Event(ResourceID.fromResource(g))));
      }
    });
  }

  @Override
  public Set<String> getSecondaryResources(Unikernel primary) {
    return Set.of();
  }
}
