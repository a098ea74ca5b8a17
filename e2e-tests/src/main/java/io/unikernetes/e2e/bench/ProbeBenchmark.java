package io.unikernetes.e2e.bench;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.unikernetes.agent.probes.GuestProbes;
import io.unikernetes.agent.probes.ProbeTarget;
import io.unikernetes.agent.probes.Prober;
import io.unikernetes.api.v1alpha1.spec.HttpGetAction;
import io.unikernetes.api.v1alpha1.spec.Probe;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Probe overhead (issue 9): N guests' readiness probes (HTTP GET every second, default 100) run by the
 * agent's GuestProbes for a while against an HTTP server on loopback, against a floor measured in the same
 * run: the same number of GETs sent one after another by a plain HttpClient. Prints CPU per probe for both
 * and their ratio, the threads the probes added, and the resident memory they added. Asserts nothing.
 * Usage: ProbeBenchmark [guests] [seconds]
 */
public final class ProbeBenchmark {

  private ProbeBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int guests = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    AtomicLong served = new AtomicLong();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    var serverThreads = Executors.newFixedThreadPool(2, r -> {
      Thread thread = new Thread(r, "bench-server");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(serverThreads);
    server.createContext("/healthz", exchange -> {
      served.incrementAndGet();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    int port = server.getAddress().getPort();

    // Floor: as many GETs as the probes will send, one after another from a plain client, nothing scheduled.
    long requests = (long) guests * seconds;
    HttpClient plain = HttpClient.newHttpClient();
    HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build();
    for (int i = 0; i < 200; i++) {
      plain.send(get, HttpResponse.BodyHandlers.discarding()); // warm-up
    }
    long floorCpu = cpuNanos();
    for (long i = 0; i < requests; i++) {
      plain.send(get, HttpResponse.BodyHandlers.discarding());
    }
    floorCpu = cpuNanos() - floorCpu;

    int threadsBefore = Thread.activeCount();
    long rssBefore = rssKib();
    GuestProbes probes = new GuestProbes(new Prober(Executors.newFixedThreadPool(2)), Clock.systemUTC());
    Probe probe = new Probe();
    probe.setHttpGet(new HttpGetAction("/healthz", new IntOrString(port)));
    probe.setPeriodSeconds(1);
    ProbeTarget target = ProbeTarget.of(probe, List.of(), "127.0.0.1");
    long servedBefore = served.get();
    long probeCpu = cpuNanos();
    Instant start = Instant.now();
    for (int i = 0; i < guests; i++) {
      probes.ensure("guest-" + i, new ResourceID("guest-" + i, "bench"),
          new GuestProbes.Plan(Optional.of(target), Optional.empty(), start));
    }
    Thread.sleep(Duration.ofSeconds(seconds).toMillis());
    probeCpu = cpuNanos() - probeCpu;
    long probed = served.get() - servedBefore;
    int threadsAdded = Thread.activeCount() - threadsBefore;
    long rssAdded = rssKib() - rssBefore;
    probes.stop();
    server.stop(0);
    serverThreads.shutdownNow();

    double floorPerRequest = floorCpu / (double) requests / 1000;
    double probePerRequest = probeCpu / (double) Math.max(1, probed) / 1000;
    System.out.printf("%d guests probed every second for %d s: %d probes answered (%.1f/s)%n", guests, seconds,
        probed, probed / (double) seconds);
    System.out.printf("CPU per probe: %.0f us with GuestProbes, %.0f us for a plain sequential GET (floor, same run): "
        + "ratio %.2f; %.1f%% of one core%n", probePerRequest, floorPerRequest, probePerRequest / floorPerRequest,
        100.0 * probeCpu / Duration.ofSeconds(seconds).toNanos());
    System.out.printf("threads added by the probes: %d (for %d guests); resident memory added (heap growth "
        + "included): %d KiB%n",
        threadsAdded, guests, rssAdded);
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long rssKib() throws Exception {
    return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0L);
  }
}
