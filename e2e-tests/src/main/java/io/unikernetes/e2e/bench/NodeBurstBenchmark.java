package io.unikernetes.e2e.bench;

import static io.unikernetes.e2e.bench.AgentScaleBenchmark.seconds;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.agent.domain.CpuSet;
import io.unikernetes.agent.domain.DomainFlavor;
import io.unikernetes.agent.domain.DomainXmlRenderer;
import io.unikernetes.agent.domain.GuestDomain;
import io.unikernetes.agent.hypervisor.GuestIdentity;
import io.unikernetes.agent.hypervisor.HostCpus;
import io.unikernetes.api.v1alpha1.spec.BootMode;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import io.unikernetes.local.repository.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.libvirt.Connect;
import org.libvirt.Domain;

/**
 * Node burst (issue 12): N real QEMU guests (default 150 hello guests of 8Mi, software emulation) applied at once
 * to one agent on qemu:///system until all are Running, then deleted until all are gone. The floor, measured in
 * the same run: the same domain XML through raw libvirt define+create, then destroy+undefine, on one
 * connection with 1, 2, 4, 8 and 16 threads; the best of each is the floor. Prints both and their ratios, and the
 * agent's RSS and CPU at rest with N guests. Needs libvirtd with the QEMU driver (hack/setup-host.sh).
 * Before the timed burst, an untimed one of W guests (default 30) warms the agent's and the operator's JVMs, as
 * a node that has run guests before is; the floors run after the product, on a libvirtd it has warmed.
 * With RESERVED (a CPU list such as 0), the agent runs with --reserved-cpus=RESERVED and the floor's domains
 * get the same {@code <vcpu cpuset>}: guests boot on the other CPUs while the control plane, libvirtd and the
 * agent have the reserved ones besides, as on a host whose dom0 has CPUs of its own.
 * Usage: NodeBurstBenchmark [N [THREADS,... [W [RESERVED]]]]  (THREADS: the floor's thread counts to try,
 * default 1,2,4,8,16; 1 and 2 take minutes at 150 guests and never won here)
 */
public final class NodeBurstBenchmark {

  private static final String URI = "qemu:///system";
  private static final List<Integer> DEFAULT_PARALLELISM = List.of(1, 2, 4, 8, 16);
  private static final int DEFAULT_WARM_UP = 30;

  private NodeBurstBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int count = args.length == 0 ? 150 : Integer.parseInt(args[0]);
    List<Integer> parallelism = args.length < 2 ? DEFAULT_PARALLELISM
        : java.util.Arrays.stream(args[1].split(",")).map(String::trim).map(Integer::parseInt).toList();
    int warmUp = args.length < 3 ? DEFAULT_WARM_UP : Integer.parseInt(args[2]);
    Optional<CpuSet> reserved = args.length < 4 || args[3].isBlank() ? Optional.empty()
        : Optional.of(CpuSet.parse(args[3]));
    Optional<CpuSet> guestCpus = reserved.isEmpty() ? Optional.empty()
        : Optional.of(reserved.get().othersOf(hostCpus()));
    Repository repo = Repository.locate();
    Path work = Files.createTempDirectory("unikernetes-node-burst");
    Path kernel = repo.helloGuest();
    try (GuestBench bench = GuestBench.start(repo, work, "scale")) {
      KubernetesClient client = bench.client();
      ImageSource image = bench.hello();
      AgentScaleBenchmark.Product product = AgentScaleBenchmark.product(client, repo, URI, work, image, count,
          warmUp, reserved.map(cpus -> List.of("--reserved-cpus=" + cpus)).orElse(List.of()));

      Duration bestUp = null;
      Duration bestDown = null;
      String bestUpHost = "";
      String bestDownHost = "";
      int bestUpThreads = 0;
      int bestDownThreads = 0;
      StringBuilder tried = new StringBuilder();
      for (int threads : parallelism) {
        RawBurst raw = rawBurst(new DomainXmlRenderer(guestCpus), kernel, work, count, threads);
        tried.append(String.format(" %d: %.1f s / %.1f s;", threads, seconds(raw.up()), seconds(raw.down())));
        if (bestUp == null || raw.up().compareTo(bestUp) < 0) {
          bestUp = raw.up();
          bestUpThreads = threads;
          bestUpHost = raw.upHost();
        }
        if (bestDown == null || raw.down().compareTo(bestDown) < 0) {
          bestDown = raw.down();
          bestDownHost = raw.downHost();
          bestDownThreads = threads;
        }
      }
      System.out.printf("%n== one xen-agent, %d hello guests (8Mi) on %s, QEMU software emulation%n", count, URI);
      reserved.ifPresent(cpus -> System.out.printf("host CPUs %s kept for the host (--reserved-cpus): the agent's "
          + "guests and the floor's domains run on CPUs %s%n", cpus, guestCpus.orElseThrow()));
      if (warmUp > 0) {
        System.out.printf("untimed warm-up: %d guests applied, Running and deleted first in %.1f s%n", warmUp,
            seconds(product.warmUp()));
      }
      System.out.printf("apply -> all Running:         %8.1f s%n", seconds(product.up()));
      System.out.printf("  %s%n", product.upTimeline());
      System.out.printf("  API requests during the way up, by resource, verb and code:%n%s", product.upRequests());
      System.out.printf("  CPU during the way up:%n%s", product.upCpu());
      System.out.printf("floor: raw libvirt define+create, best of threads (%d): %.1f s%n", bestUpThreads,
          seconds(bestUp));
      System.out.printf("  CPU of the whole host during the floor's way up: %s", bestUpHost);
      System.out.printf("ratio up / floor:             %8.2f%n", (double) product.up().toMillis() / bestUp.toMillis());
      System.out.printf("delete -> all gone:           %8.1f s%n", seconds(product.down()));
      System.out.printf("  CPU of the whole host during the way down: %s%n", product.downHost());
      System.out.printf("floor: raw libvirt destroy+undefine, best of threads (%d): %.1f s%n", bestDownThreads,
          seconds(bestDown));
      System.out.printf("  CPU of the whole host during the floor's way down: %s%n", bestDownHost);
      System.out.printf("ratio down / floor:           %8.2f%n",
          (double) product.down().toMillis() / bestDown.toMillis());
      System.out.printf("raw libvirt by threads (up / down):%s%n", tried);
      System.out.printf("agent RSS with %d guests:     %8d MiB; CPU at rest %.2f %% of a core%n", count,
          product.rssKib() >> 10, product.idleCpu() * 100);
    }
  }

  /** One raw libvirt burst: its times, and the whole host's CPU on the way up and down. */
  private record RawBurst(Duration up, Duration down, String upHost, String downHost) {
  }

  private static CpuSet hostCpus() throws org.libvirt.LibvirtException {
    Connect libvirt = new Connect(URI);
    try {
      return HostCpus.of(libvirt.getCapabilities(), libvirt.nodeInfo().cpus);
    } finally {
      libvirt.close();
    }
  }

  /** Starts {@code count} domains from the agent's XML on {@code threads} threads, then removes them. */
  private static RawBurst rawBurst(DomainXmlRenderer renderer, Path kernel, Path work, int count, int threads)
      throws Exception {
    Connect libvirt = new Connect(URI);
    List<String> xmls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      GuestIdentity owner = new GuestIdentity(UUID.randomUUID().toString(), "floor", "t" + threads + "-" + i, "floor");
      xmls.add(renderer.render(new GuestDomain(owner, kernel, Optional.empty(), "", MemorySize.parse("8Mi"), 1,
          BootMode.PVH, work.resolve("floor-console-" + owner.uid() + ".log"), Optional.empty(), List.of()),
          DomainFlavor.ofUri(URI)));
    }
    List<Domain> domains = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    boolean removed = false;
    try {
      HostCpu hostBefore = HostCpu.now(); // read before the clock starts, as in the product's run
      Instant start = Instant.now();
      all(pool, xmls.stream().map(xml -> (Runnable) () -> {
        try {
          Domain domain = libvirt.domainDefineXML(xml);
          domains.add(domain);
          domain.create();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }).toList());
      Duration up = Duration.between(start, Instant.now());
      HostCpu hostAfter = HostCpu.now();
      String upHost = hostAfter.since(hostBefore, up) + String.format("; by program:%n")
          + hostAfter.programsSince(hostBefore, "      ");
      hostBefore = HostCpu.now();
      start = Instant.now();
      all(pool, new ArrayList<>(domains).stream().map(domain -> (Runnable) () -> {
        try {
          domain.destroy();
          domain.undefine();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }).toList());
      Duration down = Duration.between(start, Instant.now());
      removed = true;
      return new RawBurst(up, down, upHost, HostCpu.now().since(hostBefore, down));
    } finally {
      pool.shutdown();
      for (Domain domain : removed ? List.<Domain>of() : domains) { // after a failure: leave nothing running
        try {
          if (domain.isActive() == 1) {
            domain.destroy();
          }
          domain.undefine();
        } catch (Exception ignored) {
          // already gone
        }
      }
      libvirt.close();
    }
  }

  private static void all(ExecutorService pool, List<Runnable> tasks) throws Exception {
    List<Future<?>> futures = new ArrayList<>();
    for (Runnable task : tasks) {
      futures.add(pool.submit(task));
    }
    for (Future<?> future : futures) {
      future.get();
    }
  }
}
