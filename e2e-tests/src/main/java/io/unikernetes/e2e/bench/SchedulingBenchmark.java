package io.unikernetes.e2e.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.api.v1alpha1.ApiGroup;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.GuestSpec;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import io.unikernetes.api.v1alpha1.spec.UnikernelSpec;
import io.unikernetes.api.v1alpha1.status.ConditionStatus;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.NodeResources;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.api.v1alpha1.status.UnikernelStatus;
import io.unikernetes.api.v1alpha1.status.XenNodeStatus;
import io.unikernetes.e2e.controlplane.ControlPlaneBinaries;
import io.unikernetes.e2e.controlplane.LocalControlPlane;
import io.unikernetes.e2e.support.Crds;
import io.unikernetes.e2e.support.Repository;
import io.unikernetes.operator.UnikernetesOperator;
import io.unikernetes.operator.config.OperatorConfig;
import io.unikernetes.operator.scheduler.SchedulingPolicy;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Scheduling and binding of N Unikernels across 20 simulated XenNodes on the real API server, against a
 * baseline measured in the same run: N plain status writes from a bare client. Prints figures; asserts
 * nothing. Nodes allow 4096 vCPUs and 20000 guests so that memory is the constraint the lower bound measures.
 * Usage: SchedulingBenchmark [N ...] (default 1000 10000).
 */
public final class SchedulingBenchmark {

  private static final int NODES = 20;
  private static final MemorySize NODE_MEMORY = MemorySize.parse("64Gi");
  private static final int WRITERS = 8;

  private SchedulingBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    List<Integer> counts = args.length == 0 ? List.of(1000, 10000)
        : java.util.Arrays.stream(args).map(Integer::parseInt).toList();
    Repository repo = Repository.locate();
    var work = Files.createTempDirectory("unikernetes-bench");
    try (var cluster = LocalControlPlane.start(ControlPlaneBinaries.locate(repo.root()), work.resolve("cp"));
         KubernetesClient client = cluster.newClient()) {
      Crds.install(cluster, repo);
      for (int n = 0; n < NODES; n++) {
        registerNode(client, "bench-" + n);
      }
      for (int count : counts) {
        run(client, count);
      }
    }
  }

  private static void run(KubernetesClient client, int count) throws Exception {
    String ns = "bench-" + count;
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    Random random = new Random(count);
    List<String> memories = IntStream.range(0, count).mapToObj(i -> (32 << random.nextInt(4)) + "Mi").toList();

    Instant created = Instant.now();
    parallel(count, i -> client.resource(guest(ns, "g-" + i, memories.get(i))).create());
    Duration creation = Duration.between(created, Instant.now());

    // Baseline: the same number of plain status writes from a bare client, on the same objects.
    Instant baselineStart = Instant.now();
    parallel(count, i -> {
      Unikernel u = client.resources(Unikernel.class).inNamespace(ns).withName("g-" + i).get();
      u.setStatus(new UnikernelStatus());
      u.getStatus().setPhase(UnikernelPhase.Pending);
      client.resource(u).updateStatus();
    });
    Duration baseline = Duration.between(baselineStart, Instant.now());

    Instant scheduleStart = Instant.now();
    try (var operator = UnikernetesOperator.start(new OperatorConfig(false, "default", "bench", "bench", "127.0.0.1",
        0, "default", Duration.ofSeconds(60), SchedulingPolicy.dense, OperatorConfig.DEFAULT_GUEST_SUBNETS), client, UnikernetesOperator.OnLostLeadership.STOP_CONTROLLERS)) {
      while (bound(client, ns) < count) {
        Thread.sleep(200);
      }
    }
    Duration scheduling = Duration.between(scheduleStart, Instant.now());

    List<Unikernel> guests = client.resources(Unikernel.class).inNamespace(ns).list().getItems();
    Map<String, Long> usedPerNode = guests.stream().collect(Collectors.groupingBy(
        g -> g.getMetadata().getLabels().get(ApiGroup.NODE_LABEL),
        Collectors.summingLong(g -> MemorySize.parse(g.getSpec().getMemory()).bytes())));
    long total = guests.stream().mapToLong(g -> MemorySize.parse(g.getSpec().getMemory()).bytes()).sum();
    long lowerBound = (total + NODE_MEMORY.bytes() - 1) / NODE_MEMORY.bytes();
    boolean overcommitted = usedPerNode.values().stream().anyMatch(used -> used > NODE_MEMORY.bytes());
    System.out.printf("%n== %d Unikernels, %d nodes of %s%n", count, NODES, NODE_MEMORY);
    System.out.printf("create (%d writers):           %8.1f s%n", WRITERS, creation.toMillis() / 1000.0);
    System.out.printf("baseline %d status writes:   %8.1f s (%d writers)%n", count, baseline.toMillis() / 1000.0,
        WRITERS);
    System.out.printf("schedule + bind all:           %8.1f s (operator start included)%n",
        scheduling.toMillis() / 1000.0);
    System.out.printf("ratio bind / baseline:         %8.2f%n", (double) scheduling.toMillis() / baseline.toMillis());
    System.out.printf("hosts used: %d, lower bound ceil(sum memory / host memory) = %d, overcommitted: %s%n",
        usedPerNode.size(), lowerBound, overcommitted);
    client.namespaces().withName(ns).delete();
  }

  private static long bound(KubernetesClient client, String ns) {
    return client.resources(Unikernel.class).inNamespace(ns).list().getItems().stream()
        .filter(g -> g.getMetadata().getLabels() != null && g.getMetadata().getLabels().containsKey(ApiGroup.NODE_LABEL))
        .count();
  }

  private interface Task {
    void run(int index) throws Exception;
  }

  private static void parallel(int count, Task task) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    for (int i = 0; i < count; i++) {
      int index = i;
      pool.submit(() -> {
        task.run(index);
        return null;
      });
    }
    pool.shutdown();
    pool.awaitTermination(1, TimeUnit.HOURS);
  }

  private static Unikernel guest(String ns, String name, String memory) {
    GuestSpec guest = new GuestSpec();
    guest.setImage(new ImageSource("https://images.example.org/bench.elf", "ab".repeat(32)));
    guest.setMemory(memory);
    Unikernel u = new Unikernel();
    u.getMetadata().setNamespace(ns);
    u.getMetadata().setName(name);
    u.setSpec(UnikernelSpec.of(guest));
    return u;
  }

  private static void registerNode(KubernetesClient client, String name) {
    XenNode node = new XenNode();
    node.getMetadata().setName(name);
    node = client.resource(node).create();
    XenNodeStatus status = new XenNodeStatus();
    status.setCapacity(new NodeResources(NODE_MEMORY.toQuantity(), 64, 20000));
    status.setAllocatable(new NodeResources(NODE_MEMORY.toQuantity(), 4096, 20000));
    status.setConditions(Conditions.with(null, ConditionType.Ready, ConditionStatus.True, Reason.HypervisorConnected,
        "simulated", null, Instant.now()));
    node.setStatus(status);
    client.resource(node).updateStatus();
  }
}
