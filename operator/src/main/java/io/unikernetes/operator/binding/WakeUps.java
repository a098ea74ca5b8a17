package io.unikernetes.operator.binding;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.unikernetes.api.v1alpha1.Unikernel;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Reconciles of the guests that may fit now, asked for by whatever noticed (the scheduler's cache, when a guest
 * stops counting on its node). The asking side is the informer's own thread, inside its store's update: the
 * guests are looked up and woken on a thread of this source instead, and requests that arrive while a wake-up
 * is pending are merged into it, so deleting many guests at once wakes the waiting ones a few times, not once
 * per deleted guest.
 */
final class WakeUps extends AbstractEventSource<Void, Unikernel> {

  private final Supplier<Set<ResourceID>> guests;
  private final AtomicBoolean pending = new AtomicBoolean();
  private ExecutorService executor;

  /** @param guests the guests to wake, computed when the wake-up runs */
  WakeUps(String name, Supplier<Set<ResourceID>> guests) {
    super(Void.class, name);
    this.guests = guests;
  }

  @Override
  public synchronized void start() {
    executor = Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, "scheduler-" + name());
      thread.setDaemon(true);
      return thread;
    });
    super.start();
  }

  @Override
  public synchronized void stop() {
    super.stop();
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  /** Wakes the guests soon, on this source's thread; merged with a wake-up not yet run. */
  synchronized void wakeSoon() {
    if (!isRunning() || !pending.compareAndSet(false, true)) {
      return;
    }
    executor.execute(() -> {
      pending.set(false); // a request from now on needs a run of its own: it may see a later state
      if (isRunning()) {
        guests.get().forEach(id -> getEventHandler().handleEvent(new Event(id)));
      }
    });
  }

  @Override
  public Set<Void> getSecondaryResources(Unikernel primary) {
    return Set.of();
  }
}
