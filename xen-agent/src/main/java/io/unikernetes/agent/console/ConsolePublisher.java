package io.unikernetes.agent.console;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.unikernetes.api.v1alpha1.ApiGroup;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.UnikernelConsole;
import io.unikernetes.api.v1alpha1.status.ConsoleBoot;
import io.unikernetes.api.v1alpha1.status.UnikernelConsoleStatus;
import io.unikernetes.common.client.MergePatch;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.HttpURLConnection;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.TimeUnit;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each guest's console to a {@link UnikernelConsole} named as the guest: the current boot and the
 * previous one, each its last lines ({@link ConsoleWindow}). The API server is the only channel, so a Xen host
 * outside the cluster needs nothing else, and reading takes RBAC on the console as reading a Pod's log does.
 *
 * <p>Load on the API server is bounded whatever the guests print: one thread writes, a guest's console at most
 * once per {@code minInterval} and the agent's at most {@code writesPerSecond} a second (1,000 chatty guests
 * at 10 a second: each published every 100 s); a silent console is looked at less and less often (a stat call)
 * and costs no write. A console that grows is looked at again within {@link #LOOK_FIRST}.
 */
public final class ConsolePublisher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ConsolePublisher.class);
  static final Duration LOOK_FIRST = Duration.ofSeconds(1);
  static final Duration LOOK_AT_MOST = Duration.ofSeconds(10);
  /** How often pending publications are tried when no look is due. */
  private static final Duration PUBLISH_TICK = Duration.ofMillis(200);
  private static final Duration IDLE_WAIT = Duration.ofSeconds(10);
  private static final long LOOK_GRID_MILLIS = 1000;
  private static final int READ_CHUNK = 64 * 1024;

  /** The guest a console belongs to. */
  public record Guest(String namespace, String name, String uid, String nodeName) {
    public static Guest of(Unikernel guest, String nodeName) {
      return new Guest(guest.getMetadata().getNamespace(), guest.getMetadata().getName(),
          guest.getMetadata().getUid(), nodeName);
    }
  }

  /** A look at one guest's log, due at {@code at}; stale once the guest's next look is another. */
  private final class Look extends DueAt {
    final String uid;

    Look(String uid, Instant at) {
      super(clock, at);
      this.uid = uid;
    }
  }

  /** One guest's console: its windows, the log being read, when to look and write next. Guarded by itself. */
  private static final class Stream {
    final Guest guest;
    Path log;
    ConsoleWindow current;
    ConsoleWindow previous;
    boolean reading;
    boolean dirty;
    Instant nextLook = Instant.MIN;
    Duration lookInterval = LOOK_FIRST;
    Instant nextWrite = Instant.MIN;
    /** Whether the console object is known to exist and to be this guest's (not a same-named earlier one's). */
    boolean owned;

    Stream(Guest guest) {
      this.guest = guest;
    }
  }

  private final KubernetesClient client;
  private final Clock clock;
  private final int retainedBytes;
  private final Duration minInterval;
  private final Duration writeSpacing;
  private final Map<String, Stream> streams = new ConcurrentHashMap<>();
  /** Looks in the order they are due: a wake-up costs the looks due, not a pass over every console. */
  private final DelayQueue<Look> looks = new DelayQueue<>();
  /** Guests whose console has something to publish, in the order it came. Guarded by itself. */
  private final Set<String> pending = new LinkedHashSet<>();
  private final Thread worker;
  private volatile boolean closed;

  /**
   * @param retainedBytes characters kept per boot (bytes for ASCII output)
   * @param minInterval least time between two writes of one guest's console
   * @param writesPerSecond the agent's console writes per second, at most
   */
  public ConsolePublisher(KubernetesClient client, Clock clock, int retainedBytes, Duration minInterval,
      int writesPerSecond) {
    this.client = client;
    this.clock = clock;
    this.retainedBytes = retainedBytes;
    this.minInterval = minInterval;
    this.writeSpacing = Duration.ofNanos(1_000_000_000L / writesPerSecond);
    this.worker = new Thread(this::run, "console-publisher");
    this.worker.setDaemon(true);
  }

  public void start() {
    worker.start();
  }

  /**
   * This agent started a boot of the guest: its console is read from {@code log}, and the boot before, if any,
   * becomes the previous one.
   */
  public void started(Guest guest, Path log, int restartCount, Instant startTime) {
    Stream stream = streams.computeIfAbsent(guest.uid(), uid -> new Stream(guest));
    synchronized (stream) {
      if (stream.current != null && stream.current.restartCount() == restartCount && stream.reading) {
        return;
      }
      if (stream.current == null && restartCount > 0) {
        resume(stream); // a restart this agent did not follow the boot before of (it restarted meanwhile)
      }
      if (stream.current != null) {
        stream.current.end(clock.instant());
        stream.previous = stream.current;
      }
      stream.current = new ConsoleWindow(restartCount, startTime, retainedBytes);
      stream.log = log;
      stream.reading = true;
      stream.lookInterval = LOOK_FIRST;
      if (stream.previous != null) {
        markDirty(stream); // the boot before moves to previous; a first boot is published once it prints a line
      }
      scheduleLook(stream, clock.instant());
    }
  }

  /**
   * The guest's domain runs, started by this agent or found running when it started. Costs nothing for a guest
   * already followed; otherwise (an agent restart) the console published before is continued where it stopped
   * if it is this boot's (one GET), else this boot is read from the start of its log.
   */
  public void running(Guest guest, Path log, int restartCount, Instant startTime) {
    Stream stream = streams.computeIfAbsent(guest.uid(), uid -> new Stream(guest));
    synchronized (stream) {
      if (stream.log != null) {
        return;
      }
      resume(stream);
      if (stream.current != null && stream.current.restartCount() == restartCount) {
        stream.log = log;
        stream.reading = !stream.current.ended();
        stream.lookInterval = LOOK_FIRST;
        scheduleLook(stream, clock.instant());
        return;
      }
    }
    started(guest, log, restartCount, startTime);
  }

  /**
   * The guest's boot {@code restartCount} is over (its domain stopped, or is about to start again and its log to
   * be moved aside): what is left in {@code log} is read now, a partial last line included. When this agent did not
   * follow that boot (it restarted meanwhile), the published console is continued from where it stopped first, so
   * the boot's last lines (a crash message) are not lost.
   */
  public void endBoot(Guest guest, Path log, int restartCount) {
    Stream stream = streams.computeIfAbsent(guest.uid(), uid -> new Stream(guest));
    synchronized (stream) {
      if (stream.current == null) {
        resume(stream);
        if (stream.current == null || stream.current.restartCount() != restartCount || stream.current.ended()) {
          return;
        }
        stream.log = log;
        stream.reading = true;
      }
      if (!stream.reading || stream.current.restartCount() != restartCount) {
        return;
      }
      read(stream, clock.instant());
      stream.current.end(clock.instant());
      stream.reading = false;
      markDirty(stream);
    }
  }

  /** The guest is gone; its console object goes with it (owner reference). */
  public void forget(String uid) {
    streams.remove(uid);
  }

  /** An earlier agent's publication of this guest's console, when it is this guest's (same owner UID). */
  private void resume(Stream stream) {
    UnikernelConsole published;
    try {
      published = client.resources(UnikernelConsole.class).inNamespace(stream.guest.namespace())
          .withName(stream.guest.name()).get();
    } catch (KubernetesClientException e) {
      LOG.debug("{}/{}: cannot read the published console: {}", stream.guest.namespace(), stream.guest.name(),
          e.getMessage());
      return;
    }
    if (published == null || published.getStatus() == null || published.getStatus().getBoots().isEmpty()
        || published.getMetadata().getOwnerReferences().stream()
            .noneMatch(owner -> owner.getUid().equals(stream.guest.uid()))) {
      return;
    }
    List<ConsoleBoot> boots = published.getStatus().getBoots();
    stream.current = ConsoleWindow.resume(boots.get(0), retainedBytes);
    stream.previous = boots.size() > 1 ? ConsoleWindow.resume(boots.get(1), retainedBytes) : null;
  }

  /**
   * Looks fall on whole seconds, so the looks at a thousand consoles share one wake-up a second instead of a
   * hundred (issue 12: the agent at rest).
   */
  private void scheduleLook(Stream stream, Instant at) {
    long millis = at.toEpochMilli();
    Instant onGrid = Instant.ofEpochMilli(Math.floorDiv(millis + LOOK_GRID_MILLIS - 1, LOOK_GRID_MILLIS)
        * LOOK_GRID_MILLIS);
    stream.nextLook = onGrid;
    looks.add(new Look(stream.guest.uid(), onGrid));
  }

  private void markDirty(Stream stream) {
    stream.dirty = true;
    boolean added;
    synchronized (pending) {
      added = pending.add(stream.guest.uid());
    }
    if (added && Thread.currentThread() != worker) {
      looks.add(new Look(stream.guest.uid(), clock.instant())); // wakes the worker; as a look it is stale
    }
  }

  /** Takes the looks due, then publishes what is pending and may be written now; sleeps until a look is due. */
  private void run() {
    while (!closed) {
      try {
        boolean waiting;
        synchronized (pending) {
          waiting = !pending.isEmpty();
        }
        // Pending writes are retried every tick; with none, sleep until a look is due (or a write is asked for).
        Look due = looks.poll(waiting ? PUBLISH_TICK.toMillis() : IDLE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        for (; due != null; due = looks.poll()) {
          look(due);
        }
        publishPending();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("console publisher: {}", e.toString());
      }
    }
  }

  private void look(Look due) {
    Stream stream = streams.get(due.uid);
    if (stream == null) {
      return;
    }
    synchronized (stream) {
      if (!stream.reading || !due.at.equals(stream.nextLook)) {
        return; // no longer read, or looked at anew (a new boot) since this look was scheduled
      }
      Instant now = clock.instant();
      boolean grew = read(stream, now);
      stream.lookInterval = grew ? LOOK_FIRST : min(stream.lookInterval.multipliedBy(2), LOOK_AT_MOST);
      if (grew) {
        markDirty(stream);
      }
      scheduleLook(stream, now.plus(stream.lookInterval));
    }
  }

  private void publishPending() throws InterruptedException {
    List<String> uids;
    synchronized (pending) {
      uids = new ArrayList<>(pending);
    }
    for (String uid : uids) {
      Stream stream = streams.get(uid);
      if (stream == null || closed) {
        synchronized (pending) {
          pending.remove(uid);
        }
        continue;
      }
      Publication result = publish(stream);
      synchronized (stream) {
        synchronized (pending) {
          if (!stream.dirty) { // written, or nothing to write; a line read meanwhile keeps it pending
            pending.remove(uid);
          }
        }
      }
      if (result == Publication.WRITTEN || result == Publication.FAILED) {
        Thread.sleep(writeSpacing.toMillis(), (int) (writeSpacing.toNanos() % 1_000_000));
      }
    }
  }

  /** Reads what the log has beyond what was read. @return whether a complete line came */
  private boolean read(Stream stream, Instant now) {
    long size = stream.log.toFile().length();
    long from = stream.current.bytesRead();
    if (size <= from) {
      return false;
    }
    boolean changed = false;
    try (RandomAccessFile file = new RandomAccessFile(stream.log.toFile(), "r")) {
      file.seek(from);
      byte[] buffer = new byte[(int) Math.min(READ_CHUNK, size - from)];
      for (long left = size - from; left > 0; ) {
        int n = file.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n <= 0) {
          break;
        }
        changed |= stream.current.append(buffer, n, now);
        left -= n;
      }
    } catch (IOException e) {
      LOG.debug("{}: {}", stream.log, e.toString());
    }
    return changed;
  }

  private enum Publication { WRITTEN, FAILED, LATER, NOTHING }

  /** Writes the guest's console when it changed and its turn came. */
  private Publication publish(Stream stream) {
    UnikernelConsoleStatus status = new UnikernelConsoleStatus();
    boolean owned;
    synchronized (stream) {
      Instant now = clock.instant();
      if (!stream.dirty || stream.current == null) {
        return Publication.NOTHING;
      }
      if (now.isBefore(stream.nextWrite)) {
        return Publication.LATER;
      }
      List<ConsoleBoot> boots = new ArrayList<>();
      boots.add(stream.current.toBoot());
      if (stream.previous != null) {
        boots.add(stream.previous.toBoot());
      }
      status.setBoots(boots);
      owned = stream.owned;
      stream.dirty = false;
      stream.nextWrite = now.plus(minInterval);
    }
    try {
      if (!owned) {
        own(stream.guest);
      }
      writeStatus(stream.guest, status);
      synchronized (stream) {
        stream.owned = true;
      }
    } catch (KubernetesClientException e) {
      synchronized (stream) {
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
          stream.owned = false; // deleted under us (its guest is going, or someone deleted it): made again if needed
        }
        markDirty(stream); // written on a later turn
      }
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND && owned) {
        LOG.debug("{}/{}: console gone while publishing it", stream.guest.namespace(), stream.guest.name());
      } else {
        LOG.warn("{}/{}: cannot publish the console: {}", stream.guest.namespace(), stream.guest.name(),
            e.getMessage());
      }
      return Publication.FAILED;
    }
    return Publication.WRITTEN;
  }

  /**
   * Makes sure the console object exists and belongs to this guest, replacing a same-named earlier guest's. A new
   * guest's console is created without a look first (one request per guest in a burst); only a name already taken
   * costs the look.
   */
  private void own(Guest guest) {
    try {
      client.resource(newConsole(guest)).create();
      return;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
    var resource = client.resources(UnikernelConsole.class).inNamespace(guest.namespace()).withName(guest.name());
    UnikernelConsole existing = resource.get();
    if (existing != null && guest.nodeName().equals(existing.getSpec().getNodeName())
        && existing.getMetadata().getOwnerReferences().stream().anyMatch(owner -> owner.getUid().equals(guest.uid()))) {
      return;
    }
    if (existing != null) {
      client.resource(existing).lockResourceVersion(existing.getMetadata().getResourceVersion()).delete();
    }
    client.resource(newConsole(guest)).create();
  }

  private static UnikernelConsole newConsole(Guest guest) {
    UnikernelConsole console = new UnikernelConsole();
    console.getMetadata().setName(guest.name());
    console.getMetadata().setNamespace(guest.namespace());
    console.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
        .withApiVersion(ApiGroup.NAME + "/" + ApiGroup.VERSION).withKind("Unikernel").withName(guest.name())
        .withUid(guest.uid()).withController(true).withBlockOwnerDeletion(false).build()));
    console.getSpec().setNodeName(guest.nodeName());
    console.setStatus(null);
    return console;
  }

  private void writeStatus(Guest guest, UnikernelConsoleStatus status) {
    String patch = client.getKubernetesSerialization().asJson(Map.of("status", status));
    MergePatch.applyToStatus(client, UnikernelConsole::new, guest.namespace(), guest.name(), patch);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public void close() {
    closed = true;
    worker.interrupt();
  }
}
