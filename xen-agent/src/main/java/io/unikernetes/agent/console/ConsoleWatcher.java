package io.unikernetes.agent.console;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.unikernetes.api.v1alpha1.Unikernel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches the console logs of freshly started guests and triggers a reconcile when their output grows, until
 * the bounded head is complete. It also notes when each guest printed its first line, which is the boot
 * duration the agent reports.
 */
public class ConsoleWatcher extends AbstractEventSource<ConsoleWatcher.Output, Unikernel> {

  /** What the watcher knows of one guest's console: its head, and how long after the start it first printed. */
  public record Output(String head, Optional<java.time.Duration> firstLineAfter) {
  }

  /** A watched console: {@code size} is the log's length when last read, {@code due} when to look next. */
  private record Watched(ResourceID guest, Path log, Instant since, long size, Instant due) {
  }

  private static final long POLL_MILLIS = 50;
  /**
   * How long to wait between looks at one console, by time since its domain started: every tick while a boot
   * is measured to 50 ms, then less often, so a burst of a thousand silent guests costs a few stat calls a
   * second, not twenty thousand file opens (issue 12).
   */
  static java.time.Duration interval(java.time.Duration age) {
    if (age.compareTo(java.time.Duration.ofSeconds(5)) < 0) {
      return java.time.Duration.ofMillis(POLL_MILLIS);
    }
    return age.compareTo(java.time.Duration.ofSeconds(30)) < 0 ? java.time.Duration.ofMillis(500)
        : java.time.Duration.ofSeconds(2);
  }
  /** A guest that printed less than a full head by then is not watched any longer. */
  private static final java.time.Duration WATCH_AT_MOST = java.time.Duration.ofSeconds(120);

  private final Clock clock;
  private final Map<String, Watched> watched = new ConcurrentHashMap<>();
  private final Map<String, Output> outputs = new ConcurrentHashMap<>();
  private ScheduledExecutorService poller;

  public ConsoleWatcher(Clock clock) {
    super(Output.class, "console");
    this.clock = clock;
  }

  /** Starts watching the console of the guest with this UID, from a domain start at {@code since}. */
  public void watch(String uid, ResourceID guest, Path log, Instant since) {
    outputs.remove(uid);
    watched.put(uid, new Watched(guest, log, since, -1, since));
  }

  public void forget(String uid) {
    watched.remove(uid);
    outputs.remove(uid);
  }

  /** The latest output seen for the guest with this UID, if it is or was watched since the agent started. */
  public Optional<Output> output(String uid) {
    return Optional.ofNullable(outputs.get(uid));
  }

  private void poll() {
    Instant now = clock.instant();
    watched.forEach((uid, w) -> {
      if (w.since().plus(WATCH_AT_MOST).isBefore(now)) {
        watched.remove(uid);
        return;
      }
      if (w.due().isAfter(now)) {
        return;
      }
      Instant due = now.plus(interval(java.time.Duration.between(w.since(), now)));
      long size = sizeOf(w.log());
      if (!watched.replace(uid, w, new Watched(w.guest(), w.log(), w.since(), size, due))) {
        return; // watched anew (a restart) or forgotten meanwhile: this look is stale
      }
      if (size == w.size()) {
        return; // nothing written since the last look: a stat, not a read
      }
      String head = ConsoleHead.read(w.log());
      Output previous = outputs.get(uid);
      if (previous != null && previous.head().equals(head)) {
        return;
      }
      Optional<java.time.Duration> firstLine = previous != null && previous.firstLineAfter().isPresent()
          ? previous.firstLineAfter()
          : head.isEmpty() ? Optional.empty() : Optional.of(java.time.Duration.between(w.since(), now));
      outputs.put(uid, new Output(head, firstLine));
      if (ConsoleHead.isFull(head)) {
        watched.remove(uid);
      }
      if (isRunning()) {
        getEventHandler().handleEvent(new Event(w.guest()));
      }
    });
  }

  /**
   * The log's length, 0 while it does not exist (the hypervisor creates it when the domain starts). File.length
   * rather than Files.size: a missing log must not cost an exception per look.
   */
  private static long sizeOf(Path log) {
    return log.toFile().length();
  }

  @Override
  public Set<Output> getSecondaryResources(Unikernel primary) {
    return output(primary.getMetadata().getUid()).map(Set::of).orElse(Set.of());
  }

  @Override
  public synchronized void start() {
    poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "console-watcher");
      thread.setDaemon(true);
      return thread;
    });
    poller.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    super.start();
  }

  @Override
  public synchronized void stop() {
    if (poller != null) {
      poller.shutdownNow();
    }
    super.stop();
  }
}
