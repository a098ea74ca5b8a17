package io.unikernetes.agent.console;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.unikernetes.api.v1alpha1.Unikernel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the console logs of freshly started guests and triggers a reconcile when their output grows, until
 * the bounded head is complete. It also notes when each guest printed its first line, which is the boot
 * duration the agent reports.
 */
public class ConsoleWatcher extends AbstractEventSource<ConsoleWatcher.Output, Unikernel> {

  /** What the watcher knows of one guest's console: its head, and how long after the start it first printed. */
  public record Output(String head, Optional<Duration> firstLineAfter) {
  }

  /** A watched console: {@code size} is the log's length when last read. */
  private record Watched(ResourceID guest, Path log, Instant since, long size) {
  }

  /**
   * The next look at one watched console, due at {@code at} by this watcher's clock; stale once {@code watch} is
   * no longer the guest's current one.
   */
  private final class Look extends DueAt {
    private final String uid;
    private final Watched watch;

    Look(Instant at, String uid, Watched watch) {
      super(clock, at);
      this.uid = uid;
      this.watch = watch;
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleWatcher.class);
  private static final long POLL_MILLIS = 50;
  /**
   * How long to wait between looks at one console, by time since its domain started: every tick while a boot
   * is measured to 50 ms, then less often, so a burst of a thousand silent guests costs a few stat calls a
   * second, not twenty thousand file opens (issue 12).
   */
  static Duration interval(Duration age) {
    if (age.compareTo(Duration.ofSeconds(5)) < 0) {
      return Duration.ofMillis(POLL_MILLIS);
    }
    return age.compareTo(Duration.ofSeconds(30)) < 0 ? Duration.ofMillis(500)
        : Duration.ofSeconds(2);
  }
  /** A guest that printed less than a full head by then is not watched any longer. */
  private static final Duration WATCH_AT_MOST = Duration.ofSeconds(120);

  private final Clock clock;
  private final Map<String, Watched> watched = new ConcurrentHashMap<>();
  /**
   * Looks in the order they are due: a wake-up costs the looks due then, not a pass over every watched console,
   * and with nothing watched (every guest past its first two minutes) the watcher does not wake at all.
   */
  private final DelayQueue<Look> looks = new DelayQueue<>();
  private final Map<String, Output> outputs = new ConcurrentHashMap<>();
  private Thread poller;

  public ConsoleWatcher(Clock clock) {
    super(Output.class, "console");
    this.clock = clock;
  }

  /** Starts watching the console of the guest with this UID, from a domain start at {@code since}. */
  public void watch(String uid, ResourceID guest, Path log, Instant since) {
    outputs.remove(uid);
    Watched watch = new Watched(guest, log, since, 0); // nothing to read until the log has bytes
    watched.put(uid, watch);
    schedule(new Look(next(since, Duration.ZERO), uid, watch));
  }

  public void forget(String uid) {
    watched.remove(uid);
    outputs.remove(uid);
  }

  /** The latest output seen for the guest with this UID, if it is or was watched since the agent started. */
  public Optional<Output> output(String uid) {
    return Optional.ofNullable(outputs.get(uid));
  }

  private void schedule(Look look) {
    looks.add(look);
  }

  /**
   * When to look next: {@code interval} from {@code now}, rounded up to a multiple of {@link #POLL_MILLIS}, so
   * the looks at a thousand fresh consoles fall on at most twenty instants a second and share wake-ups.
   */
  static Instant next(Instant now, Duration interval) {
    long at = now.plus(interval).toEpochMilli();
    return Instant.ofEpochMilli(Math.floorDiv(at + POLL_MILLIS - 1, POLL_MILLIS) * POLL_MILLIS);
  }

  /** Takes every look due now. Package-private for tests, which drive it with their own clock. */
  void poll() {
    Instant now = clock.instant();
    List<Look> due = new ArrayList<>();
    looks.drainTo(due); // only the expired ones; looks scheduled below wait for a later pass
    for (Look look : due) {
      try {
        take(look, now);
      } catch (RuntimeException e) {
        // One console's trouble must not cost the others their looks, nor this one its next.
        LOG.warn("console watcher: {}: {}", look.watch.log(), e.toString());
        if (watched.get(look.uid) == look.watch) {
          schedule(new Look(next(now, Duration.ofSeconds(2)), look.uid, look.watch));
        }
      }
    }
  }

  private void take(Look look, Instant now) {
    String uid = look.uid;
    Watched w = look.watch;
    if (watched.get(uid) != w) {
      return; // watched anew (a restart) or forgotten since this look was scheduled
    }
    if (w.since().plus(WATCH_AT_MOST).isBefore(now)) {
      watched.remove(uid, w);
      return;
    }
    long size = sizeOf(w.log());
    // Read before the new size is recorded: if reading or reporting throws, the entry is still this look's,
    // and the next look (poll's error path) reads the same bytes again.
    boolean complete = size != w.size() && seeOutput(uid, w, now);
    Watched next = new Watched(w.guest(), w.log(), w.since(), size);
    if (!watched.replace(uid, w, next)) {
      return;
    }
    if (complete) {
      watched.remove(uid, next); // the head is complete: nothing more to show
      return;
    }
    // From when the look was due, not when it ran: a late wake-up must not stretch every interval after it.
    Duration interval = interval(Duration.between(w.since(), now));
    Instant at = next(look.at, interval);
    schedule(new Look(at.isAfter(now) ? at : next(now, interval), uid, next));
  }

  /**
   * Reads the head of a log that grew and, when it changed, keeps it and triggers the guest's reconcile.
   *
   * @return whether the head is complete
   */
  private boolean seeOutput(String uid, Watched w, Instant now) {
    String head = ConsoleHead.read(w.log());
    Output previous = outputs.get(uid);
    if (previous != null && previous.head().equals(head)) {
      return false;
    }
    Optional<Duration> firstLine = previous != null && previous.firstLineAfter().isPresent()
        ? previous.firstLineAfter()
        : head.isEmpty() ? Optional.empty() : Optional.of(Duration.between(w.since(), now));
    outputs.put(uid, new Output(head, firstLine));
    if (isRunning()) {
      getEventHandler().handleEvent(new Event(w.guest()));
    }
    return ConsoleHead.isFull(head);
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
    poller = new Thread(this::run, "console-watcher");
    poller.setDaemon(true);
    poller.start();
    super.start();
  }

  /** Sleeps until the first look is due (or a new one comes first), then takes all due. */
  private void run() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        looks.put(looks.take()); // blocks until one is due; poll() takes it with the others due by then
        poll();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("console watcher: {}", e.toString());
      }
    }
  }

  @Override
  public synchronized void stop() {
    if (poller != null) {
      poller.interrupt();
    }
    super.stop();
  }
}
