package io.unikernetes.e2e.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import io.unikernetes.agent.domain.DomainFlavor;
import io.unikernetes.agent.domain.DomainXmlRenderer;
import io.unikernetes.agent.domain.GuestDomain;
import io.unikernetes.agent.hypervisor.GuestIdentity;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.BootMode;
import io.unikernetes.api.v1alpha1.spec.GuestSpec;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import io.unikernetes.api.v1alpha1.spec.UnikernelSpec;
import io.unikernetes.api.v1alpha1.status.ConditionStatus;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.api.v1alpha1.status.UnikernelStatus;
import io.unikernetes.local.process.JvmBoundProcess;
import io.unikernetes.local.repository.Repository;
import io.unikernetes.operator.UnikernetesOperator;
import io.unikernetes.operator.scheduler.SchedulingPolicy;
import io.unikernetes.operator.config.OperatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.libvirt.Connect;
import org.libvirt.Domain;

/**
 * Agent at scale (issue 12): one xen-agent, run as users run it (its runnable jar, the systemd unit's JVM options), holds
 * N guests on libvirt's test driver (a host of 64 CPUs and 64 GiB; every libvirt call is real, nothing boots).
 * Prints apply → all Running and delete → all gone, each next to a floor measured in the same run: the same
 * domain XML through raw libvirt define + create (destroy + undefine) on one connection, plus as many status
 * writes per guest as the product made, by a bare client on as many threads as the agent reconciles with.
 * Then the agent's resident memory, its CPU in the minute after the burst and at rest (two resync periods,
 * from two minutes after the last guest started). Asserts nothing.
 * Usage: AgentScaleBenchmark [N]  (default 1000)
 */
public final class AgentScaleBenchmark {

  private static final String NODE = "scale-node";
  private static final String NS = "scale";
  private static final int THREADS = ConfigurationService.DEFAULT_RECONCILIATION_THREADS_NUMBER;
  private static final Duration AFTER_BURST = Duration.ofSeconds(60);
  /**
   * At rest: from two minutes after the last guest started (its console is no longer watched as a fresh boot's)
   * over two resync periods, so every guest is looked at twice.
   */
  private static final Duration STEADY_FROM = Duration.ofSeconds(120);
  private static final Duration STEADY = Duration.ofSeconds(120);
  private static final long CLOCK_TICKS = 100; // USER_HZ on Linux
  private static final String[] RESOURCES = {"unikernels", "unikernelconsoles", "events", "xennodes"};
  private static final String BENCH_JVM = "benchmark JVM (operator, client)";

  private AgentScaleBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int count = args.length == 0 ? 1000 : Integer.parseInt(args[0]);
    Repository repo = Repository.locate();
    Path work = Files.createTempDirectory("unikernetes-agent-scale");
    Path node = work.resolve("node.xml");
    Files.writeString(node, "<node><cpu><mhz>2000</mhz><model>x86_64</model><nodes>1</nodes><sockets>1</sockets>"
        + "<cores>64</cores><threads>1</threads><active>64</active></cpu><memory>67108864</memory></node>\n");
    String uri = "test://" + node;
    try (GuestBench bench = GuestBench.start(repo, work, NS)) {
      KubernetesClient client = bench.client();
      ImageSource image = bench.hello();

      Product product = product(client, repo, uri, work, image, count, 0, List.of());
      // The floor runs with neither operator nor agent: nothing else may touch its objects or domains.
      Floor floor = floor(client, uri, count, product.writesPerGuest(), work);
      System.out.printf("%n== one xen-agent, %d guests on libvirt's test driver (64 CPUs, 64 GiB)%n", count);
      System.out.printf("apply -> all Running:            %8.1f s%n", seconds(product.up()));
      System.out.printf("  %s%n", product.upTimeline());
      System.out.printf("  API requests during the way up, by resource, verb and code:%n%s", product.upRequests());
      System.out.printf("  CPU during the way up:%n%s", product.upCpu());
      System.out.printf("floor: raw libvirt define+create %.1f s + %d x (create + %d status writes) by a bare "
          + "client on %d threads %.1f s = %.1f s%n", seconds(floor.libvirtUp()), count, product.writesPerGuest(),
          THREADS, seconds(floor.apiUp()), seconds(floor.libvirtUp().plus(floor.apiUp())));
      System.out.printf("ratio up / floor:                %8.2f%n",
          (double) product.up().toMillis() / floor.libvirtUp().plus(floor.apiUp()).toMillis());
      System.out.printf("delete -> all gone:              %8.1f s%n", seconds(product.down()));
      System.out.printf("floor: raw libvirt destroy+undefine %.1f s + %d deletes by a bare client %.1f s%n",
          seconds(floor.libvirtDown()), count, seconds(floor.apiDown()));
      System.out.printf("ratio down / floor:              %8.2f%n",
          (double) product.down().toMillis() / floor.libvirtDown().plus(floor.apiDown()).toMillis());
      System.out.printf("agent RSS with %d guests:        %8d MiB (goal <= 256)%n", count, product.rssKib() >> 10);
      System.out.printf("agent CPU in the minute after the burst: %5.2f %% of a core (start-up: JIT, fresh consoles)%n",
          product.afterBurstCpu() * 100);
      System.out.printf("agent CPU at rest over %d s:     %8.2f %% of a core (goal <= 2)%n", STEADY.toSeconds(),
          product.idleCpu() * 100);
      System.out.printf("agent threads by CPU at rest (Linux thread names):%n%s", product.busiestAtRest());
    }
  }

  record Product(Duration warmUp, Duration up, Duration down, long writesPerGuest, long rssKib, double afterBurstCpu,
      double idleCpu, String busiestAtRest, String upTimeline, String upRequests, String upCpu,
      String downHost) {
  }

  /**
   * The product's run: the operator in this JVM, one agent in its own on {@code uri} (with {@code agentFlags}
   * besides the benchmark's); applies {@code count} 8Mi hello guests at once, waits for all Running, rests,
   * deletes them all and waits until they are gone.
   */
  static Product product(KubernetesClient client, Repository repo, String uri, Path work, ImageSource image,
      int count, int warmUp, List<String> agentFlags) throws Exception {
    List<String> command = new ArrayList<>(List.of("env", "KUBECONFIG=" + work.resolve("cp/kubeconfig"),
        javaBinary()));
    command.addAll(shippedJvmOptions(repo));
    // Extra JVM flags for a look inside, e.g. -XX:StartFlightRecording=filename=agent.jfr (not for figures).
    String extra = System.getenv().getOrDefault("UNIKERNETES_BENCH_AGENT_JVM_FLAGS", "");
    if (!extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.addAll(List.of("-jar", repo.agentJar().toString(),
        "--node-name=" + NODE, "--libvirt-uri=" + uri, "--state-dir=" + work.resolve("agent"),
        "--http-host=127.0.0.1", "--http-port=0", "--heartbeat-namespace=default",
        "--max-guests=" + (Math.max(count, warmUp) + 10)));
    command.addAll(agentFlags);
    Process agent = JvmBoundProcess.start(command, work.resolve("agent.log"));
    try (var operator = UnikernetesOperator.start(new OperatorConfig(false, "default", "bench", "bench",
        "127.0.0.1", 0, "default", Duration.ofSeconds(60), SchedulingPolicy.dense,
        OperatorConfig.DEFAULT_GUEST_SUBNETS), client, UnikernetesOperator.OnLostLeadership.STOP_CONTROLLERS)) {
      awaitNodeReady(client);
      long javaPid = javaPid(agent);
      Set<String> running = ConcurrentHashMap.newKeySet();
      AtomicLong updates = new AtomicLong();
      try (var informer = client.resources(Unikernel.class).inNamespace(NS).inform(new ResourceEventHandler<>() {
        @Override
        public void onAdd(Unikernel guest) {
          onUpdate(guest, guest);
        }

        @Override
        public void onUpdate(Unikernel before, Unikernel guest) {
          if (before != guest) {
            updates.incrementAndGet();
          }
          if (guest.getStatus() != null && guest.getStatus().getPhase() == UnikernelPhase.Running) {
            running.add(guest.getMetadata().getUid());
          } else {
            running.remove(guest.getMetadata().getUid());
          }
        }

        @Override
        public void onDelete(Unikernel guest, boolean unknown) {
          running.remove(guest.getMetadata().getUid());
        }
      })) {
        Duration warmedUp = Duration.ZERO;
        if (warmUp > 0) { // untimed: the JIT compiles the agent's and the operator's paths, as a running node's are
          Instant warming = Instant.now();
          parallel(warmUp, i -> client.resource(guest("w-" + i, image)).create());
          while (running.size() < warmUp) {
            Thread.sleep(100);
          }
          parallel(warmUp, i -> client.resources(Unikernel.class).inNamespace(NS).withName("w-" + i).delete());
          while (!client.resources(Unikernel.class).inNamespace(NS).list().getItems().isEmpty()) {
            Thread.sleep(200);
          }
          warmedUp = Duration.between(warming, Instant.now());
          updates.set(0);
        }
        ApiRequests requestsBefore = ApiRequests.of(client, RESOURCES);
        ProcessCpu cpuBefore = ProcessCpu.now(BENCH_JVM, "xen-agent", javaPid);
        HostCpu hostBefore = HostCpu.now();
        Instant applied = Instant.now();
        parallel(count, i -> client.resource(guest("g-" + i, image)).create());
        while (running.size() < count) {
          Thread.sleep(100);
        }
        Duration up = Duration.between(applied, Instant.now());
        HostCpu hostAfter = HostCpu.now();
        String upCpu = ProcessCpu.now(BENCH_JVM, "xen-agent", javaPid).since(cpuBefore)
            + String.format("    the whole host: %s; by program:%n", hostAfter.since(hostBefore, up))
            + hostAfter.programsSince(hostBefore, "      ");
        String upRequests = ApiRequests.of(client, RESOURCES).perGuestSince(requestsBefore, count);
        long writesPerGuest = Math.round((double) updates.get() / count);
        String upTimeline = upTimeline(client.resources(Unikernel.class).inNamespace(NS).list().getItems(), applied);

        Instant allRunning = Instant.now();
        Thread.sleep(10_000); // let start-up garbage and the last writes settle
        long ticksBefore = ProcessCpu.ticks(javaPid);
        Thread.sleep(AFTER_BURST.toMillis());
        double afterBurstCpu = (double) (ProcessCpu.ticks(javaPid) - ticksBefore) / CLOCK_TICKS / AFTER_BURST.toSeconds();
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), allRunning.plus(STEADY_FROM)).toMillis()));
        long rss = rssKib(javaPid);
        ticksBefore = ProcessCpu.ticks(javaPid);
        Map<String, Long> threadsBefore = threadTicks(javaPid);
        Thread.sleep(STEADY.toMillis());
        long restTicks = ProcessCpu.ticks(javaPid) - ticksBefore;
        double idleCpu = (double) restTicks / CLOCK_TICKS / STEADY.toSeconds();
        String busiest = busiestThreads(threadsBefore, threadTicks(javaPid), restTicks);

        HostCpu hostBeforeDown = HostCpu.now(); // read before the clock starts
        Instant deleting = Instant.now();
        // One DELETE per guest on as many threads as the floor's: a collection DELETE would be served serially.
        parallel(count, i -> client.resources(Unikernel.class).inNamespace(NS).withName("g-" + i).delete());
        while (!client.resources(Unikernel.class).inNamespace(NS).list().getItems().isEmpty()) {
          Thread.sleep(200);
        }
        Duration down = Duration.between(deleting, Instant.now());
        return new Product(warmedUp, up, down, writesPerGuest, rss, afterBurstCpu, idleCpu, busiest, upTimeline,
            upRequests, upCpu, HostCpu.now().since(hostBeforeDown, down));
      }
    } finally {
      JvmBoundProcess.stop(agent, Duration.ofSeconds(10));
    }
  }

  /**
   * Where the way up went: when the scheduler confirmed the bindings (the Scheduled condition's transition, to
   * the second) and when the agent started the domains (status.startTime, the agent's clock, the same host), as
   * first / median / last seconds after the apply began.
   */
  static String upTimeline(List<Unikernel> guests, Instant applied) {
    List<Double> bound = new ArrayList<>();
    List<Double> started = new ArrayList<>();
    for (Unikernel guest : guests) {
      if (guest.getStatus() == null) {
        continue;
      }
      Conditions.find(guest.getStatus().getConditions(), ConditionType.Scheduled)
          .filter(c -> c.getStatus() == ConditionStatus.True && c.getLastTransitionTime() != null)
          .ifPresent(c -> bound.add(secondsAfter(applied, c.getLastTransitionTime())));
      if (guest.getStatus().getStartTime() != null) {
        started.add(secondsAfter(applied, guest.getStatus().getStartTime()));
      }
    }
    return String.format("bindings confirmed %s s (condition times: whole seconds), domains started %s s after the "
        + "apply began (first / median / last)", spread(bound), spread(started));
  }

  private static double secondsAfter(Instant from, String timestamp) {
    return Duration.between(from, Instant.parse(timestamp)).toMillis() / 1000.0;
  }

  private static String spread(List<Double> values) {
    if (values.isEmpty()) {
      return "-";
    }
    List<Double> sorted = values.stream().sorted().toList();
    return String.format("%.1f / %.1f / %.1f", sorted.get(0), sorted.get(sorted.size() / 2),
        sorted.get(sorted.size() - 1));
  }

  private record Floor(Duration libvirtUp, Duration libvirtDown, Duration apiUp, Duration apiDown) {
  }

  /** The same libvirt and API work without the product: raw calls, then bare writes on fresh objects. */
  private static Floor floor(KubernetesClient client, String uri, int count, long writesPerGuest, Path work)
      throws Exception {
    Connect libvirt = new Connect(uri);
    DomainXmlRenderer renderer = new DomainXmlRenderer();
    List<String> xmls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      GuestIdentity owner = new GuestIdentity(UUID.randomUUID().toString(), "floor", "g-" + i, NODE);
      xmls.add(renderer.render(new GuestDomain(owner, work.resolve("hello-pvh.elf"), Optional.empty(), "",
          MemorySize.parse("8Mi"), 1, BootMode.PVH, work.resolve("console-" + i + ".log"), Optional.empty(), List.of()),
          DomainFlavor.ofUri(uri)));
    }
    Instant start = Instant.now();
    List<Domain> domains = new ArrayList<>();
    for (String xml : xmls) {
      Domain domain = libvirt.domainDefineXML(xml);
      domain.create();
      domains.add(domain);
    }
    Duration libvirtUp = Duration.between(start, Instant.now());
    start = Instant.now();
    for (Domain domain : domains) {
      domain.destroy();
      domain.undefine();
    }
    Duration libvirtDown = Duration.between(start, Instant.now());
    libvirt.close();

    String ns = "floor";
    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName(ns).endMetadata().build()).create();
    ImageSource image = new ImageSource("https://images.example.org/floor.elf", "ab".repeat(32));
    start = Instant.now();
    parallel(count, i -> {
      Unikernel guest = guest("g-" + i, image);
      guest.getMetadata().setNamespace(ns);
      guest = client.resource(guest).create();
      for (long w = 0; w < writesPerGuest; w++) {
        guest.setStatus(new UnikernelStatus());
        guest.getStatus().setPhase(UnikernelPhase.Booting);
        guest.getStatus().setRestartCount((int) w);
        guest = client.resource(guest).updateStatus();
      }
    });
    Duration apiUp = Duration.between(start, Instant.now());
    start = Instant.now();
    parallel(count, i -> client.resources(Unikernel.class).inNamespace(ns).withName("g-" + i).delete());
    Duration apiDown = Duration.between(start, Instant.now());
    return new Floor(libvirtUp, libvirtDown, apiUp, apiDown);
  }

  private static void awaitNodeReady(KubernetesClient client) throws InterruptedException {
    for (int i = 0; i < 1200; i++) {
      XenNode node = client.resources(XenNode.class).withName(NODE).get();
      if (node != null && node.getStatus() != null
          && Conditions.isTrue(node.getStatus().getConditions(), ConditionType.Ready)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the agent did not register a Ready XenNode in 120 s: see its log");
  }

  private static Unikernel guest(String name, ImageSource image) {
    GuestSpec spec = new GuestSpec();
    spec.setImage(image);
    spec.setMemory("8Mi");
    Unikernel guest = new Unikernel();
    guest.getMetadata().setNamespace(NS);
    guest.getMetadata().setName(name);
    guest.setSpec(UnikernelSpec.of(spec));
    return guest;
  }

  interface Task {
    void run(int index) throws Exception;
  }

  static void parallel(int count, Task task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        done.add(pool.submit(() -> {
          task.run(index);
          return null;
        }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  /** The JVM options the shipped systemd unit starts the agent with (the chart's agent.jvmOptions match). */
  static List<String> shippedJvmOptions(Repository repo) throws java.io.IOException {
    Path unit = repo.root().resolve("deploy/systemd/unikernetes-xen-agent.service");
    String execStart = Files.readAllLines(unit).stream().filter(l -> l.startsWith("ExecStart=")).findFirst()
        .orElseThrow(() -> new IllegalStateException(unit + " has no ExecStart"));
    List<String> words = List.of(execStart.substring("ExecStart=".length()).trim().split("\\s+"));
    return words.subList(1, words.indexOf("-jar"));
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The agent's JVM: the child of the watchdog shell that JvmBoundProcess runs. */
  private static long javaPid(Process watchdog) {
    return watchdog.toHandle().descendants().filter(p -> p.info().command().orElse("").endsWith("java"))
        .findFirst().orElseThrow(() -> new IllegalStateException("agent JVM not found")).pid();
  }

  private static long rssKib(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid);
  }

  /** CPU ticks so far of each live thread of {@code pid}, keyed "name/tid" (threads that ended are absent). */
  private static Map<String, Long> threadTicks(long pid) throws Exception {
    Map<String, Long> ticks = new HashMap<>();
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          ProcStat stat = ProcStat.read(task.resolve("stat"));
          ticks.put(stat.name() + "/" + task.getFileName(), stat.cpuTicks());
        } catch (java.io.IOException ended) {
          // the thread ended between the listing and the read
        }
      }
    }
    return ticks;
  }

  /** The threads that used the most CPU between two {@link #threadTicks} readings, as "name seconds" lines. */
  private static String busiestThreads(Map<String, Long> before, Map<String, Long> after, long totalTicks) {
    Map<String, Long> byName = new HashMap<>();
    // Pools' threads are summed: "pool-5-thread-7" counts as "pool-5-thread-*".
    after.forEach((key, ticks) -> byName.merge(key.substring(0, key.lastIndexOf('/')).replaceAll("-[0-9]+$", "-*"),
        ticks - before.getOrDefault(key, 0L), Long::sum));
    long seen = byName.values().stream().mapToLong(Long::longValue).sum();
    StringBuilder lines = new StringBuilder();
    byName.entrySet().stream().filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
        .forEach(e -> lines.append(String.format("  %-24s %5.2f s%n", e.getKey(), e.getValue() / (double) CLOCK_TICKS)));
    lines.append(String.format("  %-24s %5.2f s%n", "(threads that ended)",
        Math.max(0, totalTicks - seen) / (double) CLOCK_TICKS));
    return lines.toString();
  }

  static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
