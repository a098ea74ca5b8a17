package io.unikernetes.e2e.bench;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.unikernetes.api.v1alpha1.ApiGroup;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.UnikernelDeployment;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.BootMode;
import io.unikernetes.api.v1alpha1.spec.GuestPort;
import io.unikernetes.api.v1alpha1.spec.GuestSpec;
import io.unikernetes.api.v1alpha1.spec.HttpGetAction;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.spec.InitrdSource;
import io.unikernetes.api.v1alpha1.spec.PortProtocol;
import io.unikernetes.api.v1alpha1.spec.Probe;
import io.unikernetes.api.v1alpha1.spec.ScaleToZero;
import io.unikernetes.api.v1alpha1.spec.UnikernelDeploymentSpec;
import io.unikernetes.api.v1alpha1.spec.UnikernelSpec;
import io.unikernetes.api.v1alpha1.spec.UnikernelTemplate;
import io.unikernetes.api.v1alpha1.spec.XenNodeSpec;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.common.net.Ipv4Subnet;
import io.unikernetes.e2e.controlplane.HelmBinary;
import io.unikernetes.e2e.xen.Dom0Agent;
import io.unikernetes.e2e.xen.XenHost;
import io.unikernetes.local.artifacts.GuestImageServer;
import io.unikernetes.local.controlplane.ControlPlaneBinaries;
import io.unikernetes.local.controlplane.LocalControlPlane;
import io.unikernetes.local.host.ClusterNetns;
import io.unikernetes.local.host.NetnsLibvirtd;
import io.unikernetes.local.process.AgentProcess;
import io.unikernetes.local.process.BuildScript;
import io.unikernetes.local.process.CommandResult;
import io.unikernetes.local.process.OperatorProcess;
import io.unikernetes.local.repository.Crds;
import io.unikernetes.local.repository.Repository;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Wake from zero (issue 14) on real guests: first request to a deployment at zero -> first byte of the answer,
 * through the Service's EndpointSlice (the activator), N times; next to the floor measured in the same run: the
 * same guest created directly, create -> Ready as a watch sees it, plus the first byte of a request sent to it
 * then. Both pay the same boot, readiness probe period (1 s) and one curl; the difference is what waking costs:
 * the activator's hold, the /scale write, the deployment and the scheduler (request -> guest created), and the
 * hand-over (Ready -> first byte). Prints p50 and p99 of each phase; asserts nothing.
 * The operator (with its activator) and curl run in a network namespace of their own, the cluster network,
 * routed to the guests' subnet on their host, as a cluster routes guest subnets to its Xen hosts. The host is
 * either QEMU guests under a libvirtd in a second namespace (ScaleToZeroE2E's set-up, the default), or, with
 * --xen, the nested Xen host (hack/boot-xen-host.sh) with the agent in dom0 as its systemd unit, PV guests on
 * a vif, and the cluster namespace on the tap of dom0's second NIC.
 * Usage: WakeBenchmark [--xen] [wakes]   (default 20)
 */
public final class WakeBenchmark {

  private static final String NS = "bench";
  private static final String LEASES = "unikernetes";
  private static final String NODE = "wake-node";
  private static final Map<String, String> POOL = Map.of("pool", "wake");
  private static final Ipv4Subnet SUBNET = Ipv4Subnet.parse("10.240.245.0/24");
  private static final Ipv4Subnet LINK = Ipv4Subnet.parse("10.250.245.0/30");
  private static final String CLUSTER_NETNS = "uk-bench-wake-cluster";
  private static final String XEN_TAP = "uk-wake-tap";
  /** Emulated Xen under a loaded machine is slow: a deadline for each wait, not a figure. */
  private static final Duration TIMEOUT = Duration.ofSeconds(300);

  private WakeBenchmark() {
  }

  /** Where the guests run, for the figures' title, and the spec of a guest of a given name there. */
  private record Target(String title, Function<String, GuestSpec> guestSpec) {
  }

  public static void main(String[] args) throws Exception {
    List<String> arguments = new ArrayList<>(List.of(args));
    boolean xen = arguments.remove("--xen");
    int wakes = arguments.isEmpty() ? 20 : Integer.parseInt(arguments.get(0));
    Repository repo = Repository.locate();
    Path work = Files.createTempDirectory("unikernetes-bench-wake");
    Path guest = BuildScript.run(repo.root().resolve("hack/build-serving-guest.sh"));
    try (LocalControlPlane cp = LocalControlPlane.start(ControlPlaneBinaries.locate(repo.root()), work.resolve("cp"));
         KubernetesClient client = cp.newClient();
         GuestImageServer images = GuestImageServer.serve(guest)) {
      Crds.install(cp, repo);
      for (String namespace : List.of(NS, LEASES)) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
            .build()).create();
      }
      ImageSource kernel = new ImageSource(images.urlOf("vmlinuz"),
          GuestImageServer.sha256Of(guest.resolve("vmlinuz")));
      kernel.setInitrd(new InitrdSource(images.urlOf("initrd.img"),
          GuestImageServer.sha256Of(guest.resolve("initrd.img"))));
      XenNode node = new XenNode(); // its subnet pinned: the cluster namespace routes it
      node.getMetadata().setName(NODE);
      node.setSpec(new XenNodeSpec());
      node.getSpec().setGuestSubnet(SUBNET.toString());
      client.resource(node).create();
      if (xen) {
        onXen(repo, cp, client, kernel, work, wakes);
      } else {
        onQemu(repo, cp, client, kernel, work, wakes);
      }
    }
  }

  /** QEMU guests under a libvirtd in a namespace of their own, the agent as a process beside it. */
  private static void onQemu(Repository repo, LocalControlPlane cp, KubernetesClient client, ImageSource kernel,
      Path work, int wakes) throws Exception {
    try (NetnsLibvirtd host = NetnsLibvirtd.start(repo, work.resolve("libvirtd"), "uk-bench-wake-host", "ukbr0",
        SUBNET.address(1) + "/" + SUBNET.prefixLength())) {
      host.relay(client.getMasterUrl().getPort());
      host.relay(URI.create(kernel.getUrl()).getPort());
      try (AgentProcess agent = AgentProcess.startInNetns(host, repo, cp.kubeconfig(), NODE, work.resolve("agent"),
               "pool=wake", LEASES, work.resolve("agent.log"), List.of("--guest-bridge=ukbr0"));
           ClusterNetns cluster = ClusterNetns.start(host, work.resolve("cluster"), CLUSTER_NETNS, LINK, SUBNET)) {
        measure(repo, cp, client, cluster, work, wakes, new Target("QEMU guests (serving guest, readiness probe "
            + "every 1 s)", name -> {
              GuestSpec spec = servingSpec(kernel, "96Mi");
              spec.setCmdline("console=ttyS0 quiet uk.ip=$(GUEST_IP)/$(GUEST_PREFIX_LENGTH) uk.gw=$(GUEST_GATEWAY)"
                  + " uk.name=" + name);
              return spec;
            }));
      }
    }
  }

  /**
   * The nested Xen host: the agent in dom0 as its systemd unit (Dom0Agent), keeping a libvirt network on
   * ukbr0 with the pinned subnet; PV guests (Debian's bzImage needs 128Mi under Xen's PV loader) on a vif,
   * addressed by DHCP; the cluster namespace on the tap of dom0's eth1.
   */
  private static void onXen(Repository repo, LocalControlPlane cp, KubernetesClient client, ImageSource kernel,
      Path work, int wakes) throws Exception {
    ImageSource fromDom0 = new ImageSource(XenHost.asSeenFromDom0(kernel.getUrl()), kernel.getSha256());
    fromDom0.setInitrd(new InitrdSource(XenHost.asSeenFromDom0(kernel.getInitrd().getUrl()),
        kernel.getInitrd().getSha256()));
    Path files = Dom0Agent.install(repo, cp, HelmBinary.locate(repo.root()), LEASES, "wake", Map.of(
            "UNIKERNETES_NODE_NAME", NODE,
            "UNIKERNETES_NODE_LABELS", "pool=wake",
            "UNIKERNETES_HEARTBEAT_NAMESPACE", LEASES,
            "UNIKERNETES_RESERVED_MEMORY", "64Mi",
            "UNIKERNETES_GUEST_BRIDGE", "ukbr0",
            "UNIKERNETES_GUEST_NETWORK", "unikernetes",
            // dom0's JVM under emulation: the client compiler only, as the Xen suite runs it.
            "JAVA_TOOL_OPTIONS", "\"-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx192m\""),
        work.resolve("dom0-files"), work);
    try (XenHost xen = XenHost.boot(repo, XenHost.image(repo), work, files, Optional.of(XEN_TAP), TIMEOUT);
         ClusterNetns cluster = ClusterNetns.overTap(XEN_TAP, work.resolve("cluster"), CLUSTER_NETNS, LINK,
             SUBNET)) {
      xen.linkCluster(LINK);
      measure(repo, cp, client, cluster, work, wakes, new Target("Xen PV guests on the nested Xen host (serving "
          + "guest on a vif, readiness probe every 1 s)", name -> {
            GuestSpec spec = servingSpec(fromDom0, "128Mi");
            spec.setBootMode(BootMode.PV);
            spec.setCmdline("console=hvc0 quiet uk.name=" + name);
            return spec;
          }));
    }
  }

  /** Runs the operator in {@code cluster}, then the floor and the wakes, and prints them. */
  private static void measure(Repository repo, LocalControlPlane cp, KubernetesClient client, ClusterNetns cluster,
      Path work, int wakes, Target target) throws Exception {
    cluster.relay(client.getMasterUrl().getPort());
    try (OperatorProcess operator = OperatorProcess.startInNetns(cluster, repo, cp.kubeconfig(), "bench", LEASES,
        work.resolve("operator.log"), TIMEOUT)) {
      Seen seen = new Seen(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
      try (var informer = client.resources(Unikernel.class).inNamespace(NS).inform(seen)) {
        floor(client, cluster, target, seen, "warm-up-", 1); // the image's download, the agent's first boot
        List<Phases> floor = floor(client, cluster, target, seen, "floor-", wakes);
        List<Phases> woken = wakes(client, cluster, target, seen, wakes);
        System.out.printf("%n== Wake from zero, %d times, %s%n", wakes, target.title());
        System.out.printf("%-38s %-24s %-24s%n", "p50 / p99 (ms)", "floor (guest created)", "wake (request)");
        row("request -> guest created", floor, woken, Phases::toCreated);
        row("guest created -> Ready (boot, probe)", floor, woken, Phases::toReady);
        row("Ready -> first byte", floor, woken, Phases::toFirstByte);
        row("total", floor, woken, Phases::total);
        long added = p(woken, Phases::toCreated, 50) + p(woken, Phases::toFirstByte, 50)
            - p(floor, Phases::toFirstByte, 50);
        System.out.printf("wake overhead over the floor, p50: %+d ms in total (%.2fx; boots and the 1 s probe "
                + "period vary run to run), %+d ms without the boot (request -> guest created, and Ready -> "
                + "first byte beyond the floor's); goal <= 100 ms%n",
            p(woken, Phases::total, 50) - p(floor, Phases::total, 50),
            p(woken, Phases::total, 50) / (double) p(floor, Phases::total, 50), added);
        System.out.printf("operator: %.0f wakes, mean wake latency (request held -> guest Ready) %.0f ms%n",
            operator.metric("unikernetes_activator_wakes_total"),
            operator.metric("unikernetes_activator_wake_latency_seconds_sum") * 1000
                / Math.max(1, operator.metric("unikernetes_activator_wake_latency_seconds_count")));
      }
      client.resources(UnikernelDeployment.class).inNamespace(NS).delete();
      await(() -> client.resources(Unikernel.class).inNamespace(NS).list().getItems().isEmpty());
    }
  }

  /** Create -> Ready (as the watch saw it) -> a request's first byte, for guests made one at a time. */
  private static List<Phases> floor(KubernetesClient client, ClusterNetns cluster, Target target, Seen seen,
      String prefix, int runs) throws Exception {
    List<Phases> samples = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      String name = prefix + i;
      Unikernel guest = new Unikernel();
      guest.getMetadata().setName(name);
      guest.getMetadata().setNamespace(NS);
      guest.getMetadata().setLabels(Map.of("app", "floor"));
      guest.setSpec(UnikernelSpec.of(target.guestSpec().apply(name)));
      Instant created = Instant.now();
      client.resource(guest).create();
      await(() -> seen.ready().containsKey(name));
      Exchange exchange = get(cluster, seen.ips().get(name) + ":8080");
      samples.add(new Phases(0, Duration.between(created, seen.ready().get(name)).toMillis(),
          Duration.between(seen.ready().get(name), exchange.firstByte()).toMillis()));
      client.resources(Unikernel.class).inNamespace(NS).withName(name).delete();
      await(() -> client.resources(Unikernel.class).inNamespace(NS).withName(name).get() == null);
    }
    return samples;
  }

  /** Request -> first byte through the activator, each from zero (scaled down by hand in between). */
  private static List<Phases> wakes(KubernetesClient client, ClusterNetns cluster, Target target, Seen seen,
      int runs) throws Exception {
    client.resource(new ServiceBuilder().withNewMetadata().withName("web").withNamespace(NS).endMetadata()
        .withNewSpec().withSelector(Map.of("app", "web"))
        .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
        .endSpec().build()).create();
    UnikernelTemplate template = new UnikernelTemplate();
    UnikernelTemplate.Metadata metadata = new UnikernelTemplate.Metadata();
    metadata.setLabels(Map.of("app", "web"));
    template.setMetadata(metadata);
    template.setSpec(target.guestSpec().apply("web"));
    UnikernelDeploymentSpec spec = new UnikernelDeploymentSpec();
    spec.setReplicas(0);
    spec.setSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "web")).build());
    spec.setTemplate(template);
    spec.setScaleToZero(new ScaleToZero(3600, 120)); // never idle here: the benchmark scales down itself
    UnikernelDeployment deployment = new UnikernelDeployment();
    deployment.getMetadata().setName("web");
    deployment.getMetadata().setNamespace(NS);
    deployment.setSpec(spec);
    client.resource(deployment).create();
    List<Phases> samples = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      await(() -> activator(client).isPresent()
          && client.resources(Unikernel.class).inNamespace(NS).withLabel("app", "web").list().getItems().isEmpty());
      Exchange exchange = get(cluster, activator(client).orElseThrow());
      String name = client.resources(Unikernel.class).inNamespace(NS).withLabel("app", "web").list().getItems()
          .get(0).getMetadata().getName();
      await(() -> seen.created().containsKey(name) && seen.ready().containsKey(name)); // the watch may lag
      Instant created = seen.created().get(name);
      Instant ready = seen.ready().get(name);
      samples.add(new Phases(Duration.between(exchange.sent(), created).toMillis(),
          Duration.between(created, ready).toMillis(), Duration.between(ready, exchange.firstByte()).toMillis()));
      client.resources(UnikernelDeployment.class).inNamespace(NS).withName("web").scale(0);
    }
    return samples;
  }

  /** The serving guest in the benchmark's pool: port http 8080, a readiness probe on /healthz every second. */
  private static GuestSpec servingSpec(ImageSource kernel, String memory) {
    GuestSpec spec = new GuestSpec();
    spec.setImage(kernel);
    spec.setMemory(memory);
    spec.setNodeSelector(POOL);
    spec.setPorts(List.of(new GuestPort("http", 8080, PortProtocol.TCP)));
    Probe readiness = new Probe();
    readiness.setHttpGet(new HttpGetAction("/healthz", new IntOrString("http")));
    readiness.setPeriodSeconds(1);
    spec.setReadinessProbe(readiness);
    return spec;
  }

  /** address:port of the activator in the web Service's slices, while it stands in. */
  private static Optional<String> activator(KubernetesClient client) {
    return client.discovery().v1().endpointSlices().inNamespace(NS).withLabel("kubernetes.io/service-name", "web")
        .withLabel("endpointslice.kubernetes.io/managed-by", ApiGroup.NAME).list().getItems().stream()
        .filter(s -> s.getMetadata().getName().endsWith("-uk-activator"))
        .map(s -> s.getEndpoints().get(0).getAddresses().get(0) + ":" + s.getPorts().get(0).getPort()).findFirst();
  }

  /** When a GET went out and when its answer's first byte came, as curl timed them. */
  private record Exchange(Instant sent, Instant firstByte) {
  }

  /**
   * GET / at {@code endpoint} from the cluster's namespace, timed by curl itself: the times are placed back
   * from the moment curl exited, so starting the process (ip netns exec, curl's own start) counts in neither.
   */
  private static Exchange get(ClusterNetns cluster, String endpoint) throws Exception {
    CommandResult curl = cluster.inNetns("curl", "-s", "-o", "/dev/null", "-m", "150", "-w",
        "%{http_code} %{time_starttransfer} %{time_total}", "http://" + endpoint + "/");
    Instant exited = Instant.now();
    String[] result = curl.stdout().trim().split(" ");
    if (curl.exitCode() != 0 || !result[0].equals("200")) {
      throw new IllegalStateException("GET http://" + endpoint + "/ failed: exit " + curl.exitCode() + ", "
          + curl.stdout());
    }
    Instant sent = exited.minusNanos(Math.round(Double.parseDouble(result[2]) * 1e9));
    return new Exchange(sent, sent.plusNanos(Math.round(Double.parseDouble(result[1]) * 1e9)));
  }

  private static long p(List<Phases> samples, ToLongFunction<Phases> phase, int percent) {
    List<Long> sorted = samples.stream().map(phase::applyAsLong).sorted().toList();
    int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  private static void row(String phase, List<Phases> floor, List<Phases> woken, ToLongFunction<Phases> of) {
    System.out.printf("%-38s %10d / %-11d %10d / %-11d%n", phase, p(floor, of, 50), p(floor, of, 99),
        p(woken, of, 50), p(woken, of, 99));
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(TIMEOUT);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("not reached within " + TIMEOUT.toSeconds() + " s");
      }
      Thread.sleep(5);
    }
  }

  /** When each guest was first seen (created) and first seen Ready, with its address, as a watch sees them. */
  private record Seen(Map<String, Instant> created, Map<String, Instant> ready, Map<String, String> ips)
      implements ResourceEventHandler<Unikernel> {
    @Override
    public void onAdd(Unikernel guest) {
      created.putIfAbsent(guest.getMetadata().getName(), Instant.now());
      onUpdate(null, guest);
    }

    @Override
    public void onUpdate(Unikernel before, Unikernel guest) {
      if (guest.getStatus() != null && Conditions.isTrue(guest.getStatus().getConditions(), ConditionType.Ready)) {
        ips.putIfAbsent(guest.getMetadata().getName(), guest.getStatus().getIp());
        ready.putIfAbsent(guest.getMetadata().getName(), Instant.now());
      }
    }

    @Override
    public void onDelete(Unikernel guest, boolean unknown) {
    }
  }

  /** One run's phases, in milliseconds. */
  private record Phases(long toCreated, long toReady, long toFirstByte) {
    long total() {
      return toCreated + toReady + toFirstByte;
    }
  }
}
