package io.unikernetes.e2e.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import io.unikernetes.common.events.EventRecorder;
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
import io.unikernetes.local.controlplane.ControlPlaneBinaries;
import io.unikernetes.local.controlplane.LocalControlPlane;
import io.unikernetes.local.repository.Crds;
import io.unikernetes.local.repository.Repository;
import io.unikernetes.operator.UnikernetesOperator;
import io.unikernetes.operator.config.OperatorConfig;
import io.unikernetes.operator.scheduler.SchedulingPolicy;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Scheduling and binding of N Unikernels across 100 simulated XenNodes on the real API server, against a floor
 * measured in the same run: the API writes binding makes per guest (spec.nodeName and the node label; status
 * Scheduled=True; a Bound Event), issued by a bare client on as many threads as the operator reconciles with
 * (JOSDK's default, 50), and watched as the product's writes are. Prints two ratios to it: from the operator's
 * start (it lists the N pending guests) to the last binding, and from the first binding to the last, the
 * binding throughput the goal is about; the operator's heap; and, for both, the API requests made per
 * guest and the CPU seconds of this JVM (the operator runs in it), kube-apiserver and etcd. Asserts nothing.
 * Nodes allow 64 CPUs and 20000 guests so that memory is the constraint the lower bound measures.
 * Usage: SchedulingBenchmark [N ...] (default 1000 10000).
 */
public final class SchedulingBenchmark {

  private static final int NODES = 100;
  /** The resources whose API requests are counted for the product and the floor. */
  private static final String[] RESOURCES = {"unikernels", "events", "xennodes"};
  private static final MemorySize NODE_MEMORY = MemorySize.parse("64Gi");
  /** The operator's reconciliation threads (JOSDK's default): the floor writes with as many. */
  private static final int WRITERS = ConfigurationService.DEFAULT_RECONCILIATION_THREADS_NUMBER;

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
    String floorNs = "floor-" + count;
    for (String namespace : List.of(ns, floorNs)) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
    }
    Random random = new Random(count);
    List<String> memories = IntStream.range(0, count).mapToObj(i -> (32 << random.nextInt(4)) + "Mi").toList();

    Instant created = Instant.now();
    parallel(count, i -> client.resource(guest(ns, "g-" + i, memories.get(i))).create());
    Duration creation = Duration.between(created, Instant.now());

    Set<String> scheduled = ConcurrentHashMap.newKeySet();
    AtomicReference<Instant> firstBound = new AtomicReference<>();
    try (var watch = client.resources(Unikernel.class).inNamespace(ns).inform(confirmations(scheduled, firstBound))) {
      long heapBefore = heapAfterGc();
      ApiRequests requestsBefore = ApiRequests.of(client, RESOURCES);
      ProcessCpu cpuBefore = ProcessCpu.now("benchmark JVM (operator inside)");
      Instant scheduleStart = Instant.now();
      long operatorHeap;
      Instant lastBound;
      String productRequests;
      String productCpu;
      try (var operator = UnikernetesOperator.start(new OperatorConfig(false, "default", "bench", "bench",
          "127.0.0.1", 0, "default", Duration.ofSeconds(60), SchedulingPolicy.dense,
          OperatorConfig.DEFAULT_GUEST_SUBNETS), client, UnikernetesOperator.OnLostLeadership.STOP_CONTROLLERS)) {
        while (scheduled.size() < count) {
          Thread.sleep(50);
        }
        lastBound = Instant.now(); // before the GC and the operator's shutdown, which are no part of binding
        productRequests = ApiRequests.of(client, RESOURCES).perGuestSince(requestsBefore, count);
        productCpu = ProcessCpu.now("benchmark JVM (operator inside)").since(cpuBefore);
        operatorHeap = heapAfterGc() - heapBefore;
      }
      Duration scheduling = Duration.between(scheduleStart, lastBound);
      Duration binding = Duration.between(firstBound.get() == null ? lastBound : firstBound.get(), lastBound);

      // Floor: the same writes on as many fresh guests, nothing deciding, no cache; watched as the product is.
      List<Unikernel> copies = new ArrayList<>(java.util.Collections.nCopies(count, null));
      parallel(count, i -> copies.set(i, client.resource(guest(floorNs, "g-" + i, memories.get(i))).create()));
      EventRecorder events = new EventRecorder(client, "bench", "bench", Clock.systemUTC());
      // The floor's writes are watched as the product's are: the watch costs this JVM and the API server alike.
      ApiRequests floorBefore;
      ProcessCpu floorCpuBefore;
      Duration floor;
      try (var floorWatch = client.resources(Unikernel.class).inNamespace(floorNs)
          .inform(confirmations(ConcurrentHashMap.newKeySet(), new AtomicReference<>()))) {
        floorBefore = ApiRequests.of(client, RESOURCES);
        floorCpuBefore = ProcessCpu.now("benchmark JVM (bare client)");
        Instant floorStart = Instant.now();
        parallel(count, i -> {
          Unikernel u = copies.get(i);
          String node = "bench-" + (i % NODES);
          u.getSpec().setNodeName(node);
          u.getMetadata().setLabels(new HashMap<>(Map.of(ApiGroup.NODE_LABEL, node)));
          u = client.resource(u).update();
          u.setStatus(new UnikernelStatus());
          u.getStatus().setPhase(UnikernelPhase.Scheduled);
          u.getStatus().setNodeName(node);
          u.getStatus().setConditions(Conditions.with(null, ConditionType.Scheduled, ConditionStatus.True,
              Reason.Bound, "bound to XenNode " + node, u.getMetadata().getGeneration(), Instant.now()));
          client.resource(u).updateStatus();
          events.record(u, EventRecorder.Type.Normal, Reason.Bound, "bound to XenNode " + node);
        });
        floor = Duration.between(floorStart, Instant.now());
      }
      String floorRequests = ApiRequests.of(client, RESOURCES).perGuestSince(floorBefore, count);
      String floorCpu = ProcessCpu.now("benchmark JVM (bare client)").since(floorCpuBefore);
      report(client, ns, count, creation, floor, scheduling, binding, operatorHeap);
      System.out.printf("API requests while binding (the product):%n%s", productRequests);
      System.out.printf("API requests of the floor:%n%s", floorRequests);
      System.out.printf("CPU while binding:%n%sCPU of the floor:%n%s", productCpu, floorCpu);
    }
    // Gone before the next count starts: deleting thousands of guests and Events would load its API server.
    for (String namespace : List.of(ns, floorNs)) {
      client.namespaces().withName(namespace).delete();
    }
    for (String namespace : List.of(ns, floorNs)) {
      client.namespaces().withName(namespace).waitUntilCondition(Objects::isNull, 10, TimeUnit.MINUTES);
    }
  }

  /** Records each guest the moment a watch shows its binding confirmed (Scheduled=True), and the first such moment. */
  private static ResourceEventHandler<Unikernel> confirmations(Set<String> scheduled, AtomicReference<Instant> first) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Unikernel guest) {
        onUpdate(guest, guest);
      }

      @Override
      public void onUpdate(Unikernel before, Unikernel guest) {
        if (guest.getStatus() != null
            && Conditions.isTrue(guest.getStatus().getConditions(), ConditionType.Scheduled)) {
          first.compareAndSet(null, Instant.now());
          scheduled.add(guest.getMetadata().getUid());
        }
      }

      @Override
      public void onDelete(Unikernel guest, boolean unknown) {
      }
    };
  }

  private static void report(KubernetesClient client, String ns, int count, Duration creation, Duration floor,
      Duration scheduling, Duration binding, long operatorHeap) {
    List<Unikernel> guests = client.resources(Unikernel.class).inNamespace(ns).list().getItems();
    Map<String, Long> usedPerNode = guests.stream().collect(Collectors.groupingBy(
        g -> g.getMetadata().getLabels().get(ApiGroup.NODE_LABEL),
        Collectors.summingLong(g -> MemorySize.parse(g.getSpec().getMemory()).bytes())));
    long total = guests.stream().mapToLong(g -> MemorySize.parse(g.getSpec().getMemory()).bytes()).sum();
    long lowerBound = (total + NODE_MEMORY.bytes() - 1) / NODE_MEMORY.bytes();
    boolean overcommitted = usedPerNode.values().stream().anyMatch(used -> used > NODE_MEMORY.bytes());
    System.out.printf("%n== %d Unikernels, %d nodes of %s%n", count, NODES, NODE_MEMORY);
    System.out.printf("create (%d writers):                      %8.1f s%n", WRITERS, creation.toMillis() / 1000.0);
    System.out.printf("floor: binding's %d x 3 writes (%d writers): %8.1f s%n", count, WRITERS,
        floor.toMillis() / 1000.0);
    System.out.printf("schedule + bind all (operator start incl.): %8.1f s%n", scheduling.toMillis() / 1000.0);
    System.out.printf("ratio (start + bind) / floor:               %8.2f%n",
        (double) scheduling.toMillis() / floor.toMillis());
    System.out.printf("  of which start (list %d guests) to first binding: %.1f s%n", count,
        scheduling.minus(binding).toMillis() / 1000.0);
    System.out.printf("first to last binding:                      %8.1f s%n", binding.toMillis() / 1000.0);
    System.out.printf("ratio bindings / floor (throughput):        %8.2f%n",
        (double) binding.toMillis() / floor.toMillis());
    System.out.printf("operator heap (after GC, growth while binding): %d MiB%n", operatorHeap >> 20);
    System.out.printf("hosts used: %d, lower bound ceil(sum memory / host memory) = %d, overcommitted: %s%n",
        usedPerNode.size(), lowerBound, overcommitted);
  }

  private static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
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
    status.setCapacity(new NodeResources(NODE_MEMORY.toQuantity(), "64", 20000));
    status.setAllocatable(new NodeResources(NODE_MEMORY.toQuantity(), "64", 20000));
    status.setConditions(Conditions.with(null, ConditionType.Ready, ConditionStatus.True, Reason.HypervisorConnected,
        "simulated", null, Instant.now()));
    node.setStatus(status);
    client.resource(node).updateStatus();
  }
}
