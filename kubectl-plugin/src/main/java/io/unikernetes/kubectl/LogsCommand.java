package io.unikernetes.kubectl;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.UnikernelConsole;
import io.unikernetes.api.v1alpha1.status.ConsoleBoot;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kubectl unikernetes logs NAME}: the guest's console from its UnikernelConsole, which the guest's agent
 * publishes through the API server. Reading it takes get (and watch, to follow) on unikernelconsoles in the
 * namespace, as kubectl logs takes pods/log.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
    description = "Print a guest's console output: its current boot's, or the previous boot's with --previous. The "
        + "agent keeps each boot's last lines (its --console-retained-bytes) and publishes them in batches, so -f "
        + "lags the guest by a second or more.")
final class LogsCommand implements Callable<Integer> {

  @Mixin
  ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "NAME", description = "The Unikernel.")
  String name;

  @Option(names = {"-f", "--follow"}, description = "Keep printing as the guest prints, across restarts, until the "
      + "guest is deleted or finished.")
  boolean follow;

  @Option(names = {"-p", "--previous"}, description = "The boot before the current one.")
  boolean previous;

  @Option(names = "--tail", defaultValue = "-1", description = "Lines of recent output to print; -1 (the default): all.")
  int tail;

  @Option(names = "--since", converter = DurationConverter.class, description = "Only lines newer than this "
      + "duration, e.g. 10s, 5m, 2h.")
  Duration since;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** How often a follow looks whether the guest settled while its console is quiet. */
  private static final Duration SETTLED_CHECK = Duration.ofSeconds(5);
  /** How long a follow waits for a settled guest's last lines once it settled. */
  private static final Duration LAST_LINES_WAIT = Duration.ofSeconds(10);

  private long boot = -1;
  private long next;

  @Override
  public Integer call() throws Exception {
    if (follow && previous) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--follow and --previous cannot be combined: a "
          + "previous boot is over");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (KubernetesClient client = cluster.client()) {
      String namespace = cluster.namespace(client);
      var resource = client.resources(UnikernelConsole.class).inNamespace(namespace).withName(name);
      UnikernelConsole console = resource.get(); // first: reading consoles is the permission that matters
      Unikernel guest = client.resources(Unikernel.class).inNamespace(namespace).withName(name).get();
      if (guest == null) {
        throw notFound(namespace);
      }
      if (console != null && !belongsTo(console, guest)) {
        console = null; // left by an earlier guest of that name, or not written by this guest's agent
      }
      Optional<Instant> from = Optional.ofNullable(since).map(d -> Instant.now().minus(d));
      OptionalInt lines = tail >= 0 ? OptionalInt.of(tail) : OptionalInt.empty();
      if (console == null || console.getStatus() == null || console.getStatus().getBoots().isEmpty()) {
        UnikernelPhase phase = guest.getStatus() == null || guest.getStatus().getPhase() == null
            ? UnikernelPhase.Pending : guest.getStatus().getPhase();
        boolean started = phase == UnikernelPhase.Running || phase.isTerminal();
        if (previous) {
          spec.commandLine().getErr().println("error: unikernel \"" + name + "\" has no previous boot");
          return 1;
        }
        if (!follow && !started) { // as kubectl logs on a container that is waiting to start
          spec.commandLine().getErr().println("error: unikernel \"" + name + "\" is waiting to start: " + phase);
          return 1;
        }
        if (!follow) {
          return 0; // started, and printed nothing yet
        }
      } else {
        List<ConsoleBoot> boots = console.getStatus().getBoots();
        if (previous) {
          if (boots.size() < 2) {
            spec.commandLine().getErr().println("error: unikernel \"" + name + "\" has no previous boot");
            return 1;
          }
          print(out, ConsoleSelection.select(boots.get(1), lines, from));
          return 0;
        }
        ConsoleBoot current = boots.get(0);
        List<ConsoleSelection.Line> selected = ConsoleSelection.select(current, lines, from);
        print(out, selected);
        boot = current.getRestartCount();
        next = current.getFirstLine() + ConsoleSelection.lines(current).size();
        if (!follow) {
          return 0;
        }
      }
      return follow(client, namespace, guest, out);
    }
  }

  /**
   * Whether the console is this guest's, as its agent writes it: owned by the guest (its UID, not an earlier
   * guest's of the same name) and published for the guest's node (the admission policy holds each agent to its
   * own node's consoles).
   */
  static boolean belongsTo(UnikernelConsole console, Unikernel guest) {
    return console.getMetadata().getOwnerReferences().stream()
        .anyMatch(owner -> owner.getUid().equals(guest.getMetadata().getUid()))
        && console.getSpec() != null && guest.getSpec().getNodeName() != null
        && guest.getSpec().getNodeName().equals(console.getSpec().getNodeName());
  }

  private KubernetesClientException notFound(String namespace) {
    return new KubernetesClientException(new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(404)
        .withReason("NotFound").withMessage("unikernels.unikernetes.io \"" + name + "\" not found in namespace "
            + namespace).build());
  }

  /**
   * Watches the console; prints each boot's new lines, a new boot's from its start. Ends when the console is
   * deleted (with its guest), or the guest is gone, replaced or settled (Succeeded, Failed) and its last boot's
   * end was seen, or {@link #LAST_LINES_WAIT} after it settled, whichever comes first.
   */
  private int follow(KubernetesClient client, String namespace, Unikernel guest, PrintWriter out)
      throws InterruptedException {
    var resource = client.resources(UnikernelConsole.class).inNamespace(namespace).withName(name);
    BlockingQueue<Optional<UnikernelConsole>> events = new LinkedBlockingQueue<>();
    boolean ended = false;
    Instant settledAt = null;
    while (true) {
      Watch watch = resource.watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, UnikernelConsole console) {
          events.add(action == Action.DELETED ? Optional.empty() : Optional.of(console));
        }

        @Override
        public void onClose(WatcherException cause) {
          events.add(Optional.of(new UnikernelConsole())); // reconnect: read it again below
        }
      });
      try {
        // What changed between the first read and the watch's start.
        UnikernelConsole now = resource.get();
        if (now != null) {
          events.add(Optional.of(now));
        }
        while (true) {
          Optional<UnikernelConsole> event = events.poll(SETTLED_CHECK.toMillis(), TimeUnit.MILLISECONDS);
          if (event != null && event.isEmpty()) {
            return 0; // deleted with its guest
          }
          if (event != null && event.get().getMetadata().getName() == null) {
            break; // the watch closed: watch again
          }
          if (event != null && belongsTo(event.get(), guest)) {
            ended = show(event.get(), out);
          }
          if (event == null || ended) {
            if (!settled(client, namespace, guest)) {
              settledAt = null;
            } else if (ended) {
              return 0;
            } else if (settledAt == null) {
              settledAt = Instant.now();
            } else if (Instant.now().isAfter(settledAt.plus(LAST_LINES_WAIT))) {
              return 0; // settled, and no end of boot came (its agent is away): stop waiting for it
            }
          }
        }
      } finally {
        watch.close();
      }
    }
  }

  /** Prints what is new. @return whether the current boot has ended */
  private boolean show(UnikernelConsole console, PrintWriter out) {
    if (console.getStatus() == null || console.getStatus().getBoots().isEmpty()) {
      return false;
    }
    List<ConsoleBoot> oldestFirst = new ArrayList<>(console.getStatus().getBoots());
    java.util.Collections.reverse(oldestFirst);
    for (ConsoleBoot b : oldestFirst) {
      if (b.getRestartCount() < boot) {
        continue;
      }
      if (b.getRestartCount() > boot) {
        boot = b.getRestartCount();
        next = 0;
      }
      List<ConsoleSelection.Line> fresh = ConsoleSelection.lines(b).stream()
          .filter(line -> line.number() >= next).toList();
      print(out, fresh);
      next = Math.max(next, b.getFirstLine() + ConsoleSelection.lines(b).size());
    }
    return console.getStatus().getBoots().get(0).isEnded();
  }

  /** Whether the guest is gone, replaced by another of its name, or settled: no boot will follow. */
  private boolean settled(KubernetesClient client, String namespace, Unikernel followed) {
    Unikernel guest = client.resources(Unikernel.class).inNamespace(namespace).withName(name).get();
    return guest == null || !guest.getMetadata().getUid().equals(followed.getMetadata().getUid())
        || (guest.getStatus() != null && guest.getStatus().getPhase() != null
            && guest.getStatus().getPhase().isTerminal());
  }

  private static void print(PrintWriter out, List<ConsoleSelection.Line> lines) {
    lines.forEach(line -> out.println(line.text()));
    out.flush();
  }

  /** Durations as kubectl writes them: 10s, 5m, 2h, or combined (1h30m). */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      if (!value.matches("(\\d+h)?(\\d+m)?(\\d+s)?") || value.isEmpty()) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 10s, 5m or 1h30m");
      }
      return Duration.parse("PT" + value.toUpperCase(java.util.Locale.ROOT));
    }
  }
}
