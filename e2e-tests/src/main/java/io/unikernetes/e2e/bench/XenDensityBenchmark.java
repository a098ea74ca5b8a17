package io.unikernetes.e2e.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.GuestSpec;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import io.unikernetes.api.v1alpha1.spec.UnikernelSpec;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.e2e.controlplane.HelmBinary;
import io.unikernetes.local.process.CommandResult;
import io.unikernetes.local.repository.Repository;
import io.unikernetes.e2e.xen.Dom0Agent;
import io.unikernetes.e2e.xen.XenHost;
import io.unikernetes.operator.UnikernetesOperator;
import io.unikernetes.operator.config.OperatorConfig;
import io.unikernetes.operator.scheduler.SchedulingPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Xen density (issue 12), on the nested Xen host (hack/boot-xen-host.sh's machine: 2 emulated CPUs, 3.5 GiB,
 * dom0 pinned at 2 GiB): the agent runs in dom0 as its systemd unit, and 8Mi PVH hello guests are started until
 * the node is full. For N = 1, 10, 50, 100 and the last that fits it prints create → Running of the N-th
 * guest, applied alone with N - 1 running; then guests per GiB of the machine, the memory each guest costs Xen
 * (its free memory before and after, over N) and the guests' CPU at rest from xl's counters. Software emulation
 * makes the times those of this machine, not of hardware; asserts nothing.
 * Usage: XenDensityBenchmark
 */
public final class XenDensityBenchmark {

  private static final String NODE = "xen-density";
  private static final String NS = "density";
  private static final String LEASES = "unikernetes-density";
  private static final MemorySize GUEST = MemorySize.parse("8Mi");
  private static final List<Integer> LEVELS = List.of(1, 10, 50, 100);
  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final Duration REST = Duration.ofSeconds(30);

  private XenDensityBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    Repository repo = Repository.locate();
    Path work = Files.createTempDirectory("unikernetes-xen-density");
    try (GuestBench bench = GuestBench.start(repo, work, NS)) {
      KubernetesClient client = bench.client();
      var cluster = bench.cluster();
      ImageSource image = new ImageSource(XenHost.asSeenFromDom0(bench.hello().getUrl()), bench.hello().getSha256());
      Path files = Dom0Agent.install(repo, cluster, HelmBinary.locate(repo.root()), LEASES, "density", Map.of(
          "UNIKERNETES_NODE_NAME", NODE,
          "UNIKERNETES_HEARTBEAT_NAMESPACE", LEASES,
          "UNIKERNETES_RESERVED_MEMORY", "64Mi",
          // dom0's JVM under emulation: the client compiler only, as the Xen suite runs it.
          "JAVA_TOOL_OPTIONS", "\"-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx192m\""),
          work.resolve("dom0-files"), work);
      try (var operator = UnikernetesOperator.start(new OperatorConfig(false, "default", "bench", "bench",
               "127.0.0.1", 0, LEASES, Duration.ofSeconds(60), SchedulingPolicy.dense,
               OperatorConfig.DEFAULT_GUEST_SUBNETS), client, UnikernetesOperator.OnLostLeadership.STOP_CONTROLLERS);
           XenHost xen = XenHost.boot(repo, XenHost.image(repo), work, files, TIMEOUT)) {
        XenNode node = awaitReady(client);
        MemorySize allocatable = MemorySize.parse(node.getStatus().getAllocatable().getMemory());
        MemorySize machine = MemorySize.parse(node.getStatus().getCapacity().getMemory());
        MemorySize overhead = MemorySize.parse(node.getStatus().getGuestOverhead().getMemory());
        int fits = (int) Math.min(node.getStatus().getAllocatable().getMaxGuests(),
            allocatable.bytes() / GUEST.plus(overhead).bytes());
        long freeBefore = freeMemoryMib(xen);
        Map<String, Instant> running = new ConcurrentHashMap<>();
        try (var informer = client.resources(Unikernel.class).inNamespace(NS).inform(new RunningTimes(running))) {
          List<String> rows = new ArrayList<>();
          int started = 0;
          List<Integer> levels = new ArrayList<>(LEVELS.stream().filter(l -> l < fits).toList());
          levels.add(fits);
          for (int level : levels) {
            while (started < level - 1) { // untimed fill, a few at a time as a deployment would
              int batch = Math.min(8, level - 1 - started);
              for (int i = 0; i < batch; i++) {
                client.resource(guest("g-" + (started + i), image)).create();
              }
              started += batch;
              awaitRunning(running, started);
            }
            Instant created = Instant.now();
            client.resource(guest("g-" + started, image)).create();
            started++;
            awaitRunning(running, started);
            rows.add(String.format("N = %3d: create -> Running %6.2f s", level,
                Duration.between(created, running.get("g-" + (started - 1))).toMillis() / 1000.0));
          }
          client.resource(guest("one-too-many", image)).create();
          Thread.sleep(10_000);
          Unikernel extra = client.resources(Unikernel.class).inNamespace(NS).withName("one-too-many").get();
          String extraState = extra.getStatus() == null ? "no status"
              : extra.getStatus().getPhase() + " " + Conditions.find(extra.getStatus().getConditions(),
                  ConditionType.Scheduled).map(c -> c.getReason() + ": " + c.getMessage()).orElse("");
          long freeAfter = freeMemoryMib(xen);
          double cpuBefore = guestCpuSeconds(xen);
          Thread.sleep(REST.toMillis());
          double cpuAfter = guestCpuSeconds(xen);

          System.out.printf("%n== Xen density on the nested Xen host: %s machine, %s allocatable, %d guests of %s fit%n",
              machine, allocatable, fits, GUEST);
          rows.forEach(System.out::println);
          System.out.printf("guest %d: %s%n", fits + 1, extraState);
          System.out.printf("guests per GiB of the machine: %.1f%n", fits / (machine.bytes() / (double) (1L << 30)));
          System.out.printf("Xen free memory %d MiB -> %d MiB: %.2f MiB per guest, %.2f MiB beyond its %s "
                  + "(the agent charges %s)%n", freeBefore, freeAfter, (freeBefore - freeAfter) / (double) fits,
              (freeBefore - freeAfter) / (double) fits - GUEST.bytes() / (double) (1L << 20), GUEST, overhead);
          System.out.printf("guests' CPU at rest over %d s: %.3f %% of a CPU per guest (xl list counts tenths of a "
                  + "second: the resolution is %.4f %%)%n", REST.toSeconds(),
              (cpuAfter - cpuBefore) / REST.toSeconds() / fits * 100, 0.1 / REST.toSeconds() / fits * 100);
        }
      }
    }
  }

  private static XenNode awaitReady(KubernetesClient client) throws InterruptedException {
    Instant deadline = Instant.now().plus(TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      XenNode node = client.resources(XenNode.class).withName(NODE).get();
      if (node != null && node.getStatus() != null && node.getStatus().getAllocatable() != null
          && Conditions.isTrue(node.getStatus().getConditions(), ConditionType.Ready)) {
        return node;
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException("the agent in dom0 registered no Ready XenNode in " + TIMEOUT);
  }

  private static void awaitRunning(Map<String, Instant> running, int count) throws InterruptedException {
    Instant deadline = Instant.now().plus(TIMEOUT);
    while (running.size() < count) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(running.size() + " of " + count + " guests Running after " + TIMEOUT);
      }
      Thread.sleep(100);
    }
  }

  /** Xen's free memory in MiB (xl info). */
  private static long freeMemoryMib(XenHost xen) throws Exception {
    CommandResult info = xen.ssh("xl info | awk '/^free_memory/ {print $3}'");
    return Long.parseLong(info.stdout().trim());
  }

  /** CPU seconds all guests have used so far (xl list's Time column, dom0 left out). */
  private static double guestCpuSeconds(XenHost xen) throws Exception {
    CommandResult list = xen.ssh("xl list | awk 'NR > 2 {sum += $6} END {printf \"%.3f\", sum}'");
    return Double.parseDouble(list.stdout().trim());
  }

  private static Unikernel guest(String name, ImageSource image) {
    GuestSpec spec = new GuestSpec();
    spec.setImage(image);
    spec.setMemory(GUEST.toQuantity());
    Unikernel guest = new Unikernel();
    guest.getMetadata().setNamespace(NS);
    guest.getMetadata().setName(name);
    guest.setSpec(UnikernelSpec.of(spec));
    return guest;
  }

  /** When each guest was first seen Running, by name. */
  private record RunningTimes(Map<String, Instant> running) implements ResourceEventHandler<Unikernel> {

    @Override
    public void onAdd(Unikernel guest) {
      onUpdate(guest, guest);
    }

    @Override
    public void onUpdate(Unikernel before, Unikernel guest) {
      if (guest.getStatus() != null && guest.getStatus().getPhase() == UnikernelPhase.Running) {
        running.putIfAbsent(guest.getMetadata().getName(), Instant.now());
      }
    }

    @Override
    public void onDelete(Unikernel guest, boolean unknown) {
    }
  }
}
