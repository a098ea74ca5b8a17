package io.unikernetes.operator.binding;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.unikernetes.api.v1alpha1.Unikernel;
import java.util.Set;

/** Reconciles of the guests it is told to wake, from whatever noticed they may fit now. */
final class WakeUps extends AbstractEventSource<Void, Unikernel> {

  WakeUps(String name) {
    super(Void.class, name);
  }

  void wake(Set<ResourceID> guests) {
    if (isRunning()) {
      guests.forEach(id -> getEventHandler().handleEvent(new Event(id)));
    }
  }

  @Override
  public Set<Void> getSecondaryResources(Unikernel primary) {
    return Set.of();
  }
}
