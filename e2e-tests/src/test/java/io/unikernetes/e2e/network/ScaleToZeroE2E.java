package io.unikernetes.e2e.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.api.v1alpha1.ApiGroup;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.UnikernelDeployment;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.GuestSpec;
import io.unikernetes.api.v1alpha1.spec.HttpGetAction;
import io.unikernetes.api.v1alpha1.spec.Probe;
import io.unikernetes.api.v1alpha1.spec.ScaleToZero;
import io.unikernetes.api.v1alpha1.spec.TcpSocketAction;
import io.unikernetes.api.v1alpha1.status.Condition;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.common.net.Ipv4Subnet;
import io.unikernetes.local.process.AgentProcess;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.local.process.OperatorProcess;
import io.unikernetes.e2e.support.TestEnvironment;
import io.unikernetes.local.host.ClusterNetns;
import io.unikernetes.local.host.NetnsLibvirtd;
import io.unikernetes.local.process.CommandResult;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Scale to zero on real QEMU guests. Two network namespaces this test creates: a Xen host's (a private
 * libvirtd, the guest bridge, the agent as a process, which notes forwarded traffic in nftables) and the
 * cluster's network, linked by a veth pair and routed to the guest subnet, where the operator runs as a
 * process with its activator on the namespace's address and where every request comes from. The requests go
 * where kube-proxy would send them: to the addresses and ports of the Service's EndpointSlices.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleToZeroE2E {

  private static final String NS = "scale-to-zero";
  private static final String NODE = "s2z-node";
  private static final String HOST_NETNS = "uk-e2e-s2z-host";
  private static final String CLUSTER_NETNS = "uk-e2e-s2z-cluster";
  private static final Ipv4Subnet SUBNET = Ipv4Subnet.parse("10.240.246.0/24");
  private static final Ipv4Subnet LINK = Ipv4Subnet.parse("10.250.246.0/30");
  private static final Map<String, String> POOL = Map.of("pool", "s2z");
  private static final int IDLE_AFTER_SECONDS = 10;
  private static final Duration TIMEOUT = Duration.ofSeconds(180);
  private static TestEnvironment env;
  private static KubernetesClient client;
  private static NetnsLibvirtd host;
  private static ClusterNetns cluster;
  private static ServingGuests.Images images;
  private static AgentProcess agent;
  private static OperatorProcess operator;
  private static Path work;

  @BeforeAll
  static void setUp() throws Exception {
    env = TestEnvironment.get();
    client = env.client();
    env.createNamespace(NS);
    images = ServingGuests.serve(env.repository());
    work = env.newWorkDir("scale-to-zero");
    host = NetnsLibvirtd.start(env.repository(), work.resolve("libvirtd"), HOST_NETNS, "ukbr0",
        SUBNET.address(1) + "/" + SUBNET.prefixLength());
    int apiPort = client.getMasterUrl().getPort();
    host.relay(apiPort);
    host.relay(URI.create(images.kernel().getUrl()).getPort());
    ServingGuests.pinNode(client, NODE, SUBNET);
    agent = AgentProcess.startInNetns(host, env.repository(), env.cluster().kubeconfig(), NODE,
        work.resolve("agent"), "pool=s2z", TestEnvironment.NODE_LEASES, work.resolve("agent.log"),
        List.of("--guest-bridge=ukbr0"));
    cluster = ClusterNetns.start(host, work.resolve("cluster"), CLUSTER_NETNS, LINK, SUBNET);
    cluster.relay(apiPort);
    env.pauseOperator();
    operator = startOperator();
  }

  private static OperatorProcess startOperator() throws Exception {
    return OperatorProcess.startInNetns(cluster, env.repository(), env.cluster().kubeconfig(),
        TestEnvironment.OPERATOR_LEASE, TestEnvironment.NODE_LEASES, work.resolve("operator.log"),
        Duration.ofSeconds(120));
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      client.services().inNamespace(NS).delete();
      client.resources(UnikernelDeployment.class).inNamespace(NS).delete();
      await().atMost(TIMEOUT).until(() -> client.resources(Unikernel.class).inNamespace(NS).list().getItems()
          .isEmpty());
      agent.close();
      client.resources(XenNode.class).withName(NODE).delete();
    } finally {
      if (operator != null) {
        operator.close();
      }
      env.resumeOperator();
      if (cluster != null) {
        cluster.close();
      }
      host.close();
      images.close();
    }
  }

  /** A deployment of serving guests with scale to zero, Ready by its HTTP /healthz. */
  private static UnikernelDeployment deployment(String app, int replicas, int maxWakeSeconds, Probe readiness) {
    UnikernelDeployment deployment = Guests.deployment(NS, app, replicas, images.kernel(), "96Mi", POOL);
    GuestSpec template = deployment.getSpec().getTemplate().getSpec();
    Unikernel shape = ServingGuests.guest(NS, app, app, images.kernel(), POOL, "");
    template.setCmdline(shape.getSpec().getCmdline());
    template.setPorts(shape.getSpec().getPorts());
    template.setReadinessProbe(readiness);
    deployment.getSpec().setScaleToZero(new ScaleToZero(IDLE_AFTER_SECONDS, maxWakeSeconds));
    return deployment;
  }

  private static Probe httpReadiness() {
    Probe probe = new Probe();
    probe.setHttpGet(new HttpGetAction("/healthz", new IntOrString("http")));
    probe.setPeriodSeconds(1);
    return probe;
  }

  /** Service {@code name} for app {@code app}: port 80 named {@code portName} to the guests' port http. */
  private static void service(String name, String app, String portName) {
    client.resource(new ServiceBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withSelector(Map.of("app", app))
        .addNewPort().withName(portName).withPort(80).withTargetPort(new IntOrString("http")).endPort()
        .endSpec().build()).create();
  }

  private static List<EndpointSlice> slices(String service) {
    return client.discovery().v1().endpointSlices().inNamespace(NS).withLabel("kubernetes.io/service-name", service)
        .withLabel("endpointslice.kubernetes.io/managed-by", ApiGroup.NAME).list().getItems();
  }

  /** Where kube-proxy would send the Service's traffic now: address:port of its first ready endpoint. */
  private static Optional<String> readyEndpoint(String service) {
    return slices(service).stream().flatMap(s -> s.getEndpoints().stream()
            .filter(e -> Boolean.TRUE.equals(e.getConditions().getReady()))
            .map(e -> e.getAddresses().get(0) + ":" + s.getPorts().get(0).getPort()))
        .findFirst();
  }

  /** The guests' endpoints in the Service's slices (the activator's left out). */
  private static List<Endpoint> guestEndpoints(String service) {
    return slices(service).stream().filter(s -> !s.getMetadata().getName().endsWith("-uk-activator"))
        .flatMap(s -> s.getEndpoints().stream()).toList();
  }

  /** The activator's address:port in the Service's slices, while it stands in for the guests. */
  private static Optional<String> activatorEndpoint(String service) {
    return slices(service).stream().filter(s -> s.getMetadata().getName().endsWith("-uk-activator"))
        .map(s -> s.getEndpoints().get(0).getAddresses().get(0) + ":" + s.getPorts().get(0).getPort()).findFirst();
  }

  private static UnikernelDeployment get(String name) {
    return client.resources(UnikernelDeployment.class).inNamespace(NS).withName(name).get();
  }

  private static Optional<Condition> scaledToZero(String name) {
    UnikernelDeployment deployment = get(name);
    return deployment.getStatus() == null ? Optional.empty()
        : Conditions.find(deployment.getStatus().getConditions(), ConditionType.ScaledToZero);
  }

  private static String reason(String name) {
    return scaledToZero(name).map(Condition::getReason).orElse("");
  }

  private static boolean atZero(String name) {
    return scaledToZero(name).map(c -> "True".equals(c.getStatus().name())).orElse(false)
        && client.resources(Unikernel.class).inNamespace(NS).withLabel("app", name).list().getItems().isEmpty()
        && activatorEndpoint(name).isPresent();
  }

  /** curl from the cluster's namespace: the body, then the HTTP code and seconds to the first byte. */
  private static CommandResult curl(String endpoint, int maxSeconds) throws Exception {
    return cluster.inNetns("curl", "-s", "-i", "-m", String.valueOf(maxSeconds), "-w",
        "\n%{http_code} %{time_starttransfer}", "http://" + endpoint + "/");
  }

  private static long events(String reason) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason())).count();
  }

  @Test
  @Order(1)
  void anIdleDeploymentGoesToZeroAndItsServiceToTheActivator() throws Exception {
    service("web", "web", "http");
    client.resource(deployment("web", 1, 120, httpReadiness())).create();
    await().atMost(TIMEOUT).until(() -> readyEndpoint("web").filter(e -> !e.startsWith(cluster.address()))
        .isPresent());
    String guest = readyEndpoint("web").orElseThrow();

    // Requests straight to the guest, as after a hand-back, for longer than idleAfterSeconds: the node sees
    // them (the activator does not), and the deployment stays up.
    Instant until = Instant.now().plusSeconds(IDLE_AFTER_SECONDS + 6);
    Instant lastRequest = Instant.now();
    while (Instant.now().isBefore(until)) {
      lastRequest = Instant.now(); // its traffic reaches the node after this
      assertThat(curl(guest, 5).stdout()).contains("hello from web");
      Thread.sleep(1000);
    }
    assertThat(get("web").getSpec().getReplicas()).isEqualTo(1);
    assertThat(client.resources(Unikernel.class).inNamespace(NS).withLabel("app", "web").list().getItems())
        .singleElement().satisfies(g -> assertThat(g.getStatus().getLastActivityTime()).isNotNull());

    // Idle: first a drain, the guest still up, the Service through the activator, the guest not ready in it.
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> reason("web").equals("Draining")
        && activatorEndpoint("web").isPresent() && guestEndpoints("web").stream()
            .anyMatch(e -> !Boolean.TRUE.equals(e.getConditions().getReady())));
    assertThat(guestEndpoints("web")).singleElement().satisfies(e -> {
      assertThat(e.getConditions().getReady()).isFalse();
      assertThat(e.getConditions().getServing()).isTrue();
    });
    assertThat(get("web").getSpec().getReplicas()).isEqualTo(1);
    // A request during the drain is relayed to the running guest, and the deployment serves again.
    lastRequest = Instant.now();
    assertThat(curl(activatorEndpoint("web").orElseThrow(), 10).stdout()).contains("hello from web");
    await().atMost(TIMEOUT).until(() -> reason("web").equals("Serving") && activatorEndpoint("web").isEmpty());
    assertThat(operator.metric("unikernetes_activator_wakes_total{deployment=\"web\"")).isZero();

    await().atMost(TIMEOUT).until(() -> atZero("web"));
    Instant zero = Instant.parse(scaledToZero("web").orElseThrow().getLastTransitionTime());
    System.out.printf("scale to zero: last request -> ScaledToZero in %d ms (idleAfterSeconds %d)%n",
        Duration.between(lastRequest, zero).toMillis(), IDLE_AFTER_SECONDS);
    // Never early: idle for idleAfterSeconds after the last request, less the condition's rounding to the second.
    assertThat(Duration.between(lastRequest, zero)).isGreaterThan(Duration.ofSeconds(IDLE_AFTER_SECONDS - 1));
    assertThat(get("web").getSpec().getReplicas()).isZero();
    assertThat(activatorEndpoint("web")).hasValueSatisfying(e -> assertThat(e).startsWith(cluster.address() + ":"));
    assertThat(operator.metric("unikernetes_idle_scale_downs_total{deployment=\"web\"")).isEqualTo(1.0);
    assertThat(events("Idle")).isPositive();
  }

  @Test
  @Order(2)
  void aRequestToTheServiceWakesItAndIsAnswered() throws Exception {
    String endpoint = activatorEndpoint("web").orElseThrow();
    CommandResult answer = curl(endpoint, 150);
    assertThat(answer.stdout()).contains("hello from web");
    assertThat(answer.stdout().lines().reduce((a, b) -> b).orElseThrow()).startsWith("200 ");
    System.out.printf("scale to zero: first request -> first byte %s s (curl time_starttransfer)%n",
        answer.stdout().lines().reduce((a, b) -> b).orElseThrow().split(" ")[1]);

    UnikernelDeployment woken = get("web");
    assertThat(woken.getSpec().getReplicas()).isEqualTo(1);
    await().atMost(TIMEOUT).untilAsserted(() -> {
      var status = get("web").getStatus();
      assertThat(status.getLastWake()).isNotNull();
      assertThat(status.getLastWake().getLatencyMilliseconds()).isPositive();
      assertThat(scaledToZero("web")).hasValueSatisfying(c -> assertThat(c.getStatus().name()).isEqualTo("False"));
    });
    // Handed back: the Service's traffic goes to the guest, not through the activator.
    await().atMost(TIMEOUT).until(() -> activatorEndpoint("web").isEmpty()
        && readyEndpoint("web").filter(e -> !e.startsWith(cluster.address())).isPresent());
    System.out.printf("scale to zero: status.lastWake %d ms%n", get("web").getStatus().getLastWake()
        .getLatencyMilliseconds());
    assertThat(operator.metric("unikernetes_activator_wakes_total{deployment=\"web\"")).isEqualTo(1.0);
    assertThat(operator.metric("unikernetes_activator_wake_latency_seconds_count")).isEqualTo(1.0);
    assertThat(events("Woken")).isPositive();
  }

  @Test
  @Order(3)
  void concurrentFirstRequestsWakeItOnce() throws Exception {
    await().atMost(TIMEOUT).until(() -> atZero("web"));
    double wakesBefore = operator.metric("unikernetes_activator_wakes_total{deployment=\"web\"");
    String endpoint = activatorEndpoint("web").orElseThrow();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<CommandResult>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        answers.add(clients.submit(() -> curl(endpoint, 150)));
      }
      // All eight wait at once (a boot takes seconds): concurrent first requests, not one after another.
      await().atMost(TIMEOUT).until(() -> operator.metric("unikernetes_activator_held_connections") == 8.0);
      for (Future<CommandResult> answer : answers) {
        assertThat(answer.get().stdout()).contains("hello from web");
      }
    } finally {
      clients.shutdownNow();
    }
    assertThat(operator.metric("unikernetes_activator_wakes_total{deployment=\"web\"")).isEqualTo(wakesBefore + 1);
    assertThat(get("web").getSpec().getReplicas()).isEqualTo(1);
    assertThat(client.resources(Unikernel.class).inNamespace(NS).withLabel("app", "web").list().getItems())
        .hasSize(1);
  }

  @Test
  @Order(4)
  void aRequestThatNoGuestServesWithinMaxWakeSecondsFailsCleanly() throws Exception {
    Probe never = new Probe();
    never.setTcpSocket(new TcpSocketAction(new IntOrString(9))); // nothing listens there: never Ready
    never.setPeriodSeconds(1);
    service("never", "never", "http");
    service("never-tcp", "never", "tcp");
    client.resource(deployment("never", 0, 3, never)).create();
    await().atMost(TIMEOUT).until(() -> activatorEndpoint("never").isPresent()
        && activatorEndpoint("never-tcp").isPresent());

    Instant asked = Instant.now();
    CommandResult http = curl(activatorEndpoint("never").orElseThrow(), 60);
    Duration waited = Duration.between(asked, Instant.now());
    assertThat(http.stdout()).startsWith("HTTP/1.1 503 Service Unavailable").contains("Retry-After: 1");
    assertThat(waited).isGreaterThanOrEqualTo(Duration.ofSeconds(3)).isLessThan(Duration.ofSeconds(60));

    String[] tcp = activatorEndpoint("never-tcp").orElseThrow().split(":");
    asked = Instant.now();
    CommandResult closed = cluster.inNetns("timeout", "60", "bash", "-c",
        "exec 3<>/dev/tcp/" + tcp[0] + "/" + tcp[1] + "; cat <&3");
    assertThat(closed.exitCode()).as("closed by the activator, not by timeout(1)").isZero();
    assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(60));
    assertThat(operator.metric("unikernetes_activator_wake_timeouts_total{deployment=\"never\"")).isEqualTo(2.0);
    assertThat(events("WakeTimedOut")).isPositive();
  }

  @Test
  @Order(5)
  void anActivatorKilledWhileHoldingARequestFailsItInsteadOfLosingIt() throws Exception {
    Probe never = new Probe();
    never.setTcpSocket(new TcpSocketAction(new IntOrString(9)));
    never.setPeriodSeconds(1);
    service("slow", "slow", "http");
    client.resource(deployment("slow", 0, 120, never)).create();
    await().atMost(TIMEOUT).until(() -> activatorEndpoint("slow").isPresent());
    String endpoint = activatorEndpoint("slow").orElseThrow();
    ExecutorService clients = Executors.newSingleThreadExecutor();
    try {
      Future<CommandResult> held = clients.submit(() -> curl(endpoint, 100));
      await().atMost(TIMEOUT).until(() -> operator.metric("unikernetes_activator_held_connections") == 1.0);
      Instant killed = Instant.now();
      operator.kill();
      CommandResult answer = held.get();
      System.out.printf("scale to zero: a held request failed %d ms after its activator was killed (curl exit %d)%n",
          Duration.between(killed, Instant.now()).toMillis(), answer.exitCode());
      // Empty reply (52) or reset (56): the client knows at once, long before its own 100 s limit.
      assertThat(answer.exitCode()).isIn(52, 56);
      assertThat(Duration.between(killed, Instant.now())).isLessThan(Duration.ofSeconds(30));
    } finally {
      clients.shutdownNow();
    }
    operator = startOperator();
    // The new leader stands in again, on a port of its own, and a woken guest answers behind it.
    await().atMost(TIMEOUT).until(() -> atZero("web") && activatorEndpoint("slow").filter(e -> !e.equals(endpoint))
        .isPresent());
    assertThat(curl(activatorEndpoint("web").orElseThrow(), 150).stdout()).contains("hello from web");
  }

  @Test
  @Order(6)
  void anAutoscalerAskingForReplicasOrAManualScaleWinsOverIdling() throws Exception {
    client.resources(UnikernelDeployment.class).inNamespace(NS).withName("never").delete();
    client.resources(UnikernelDeployment.class).inNamespace(NS).withName("slow").delete();
    client.resource(new HorizontalPodAutoscalerBuilder().withNewMetadata().withName("web").withNamespace(NS)
        .endMetadata().withNewSpec().withNewScaleTargetRef().withApiVersion(ApiGroup.API_VERSION)
        .withKind("UnikernelDeployment").withName("web").endScaleTargetRef().withMinReplicas(1).withMaxReplicas(1)
        .endSpec().build()).create();
    client.resources(UnikernelDeployment.class).inNamespace(NS).withName("web").scale(1);
    await().atMost(TIMEOUT).until(() -> reason("web").equals("AutoscalerMinReplicas"));
    Thread.sleep(Duration.ofSeconds(IDLE_AFTER_SECONDS + 5).toMillis()); // idle for longer than idleAfterSeconds
    assertThat(get("web").getSpec().getReplicas()).isEqualTo(1);

    client.resources(io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class).inNamespace(NS)
        .withName("web").delete();
    await().atMost(TIMEOUT).until(() -> atZero("web"));

    client.resources(UnikernelDeployment.class).inNamespace(NS).withName("web").scale(2);
    await().atMost(TIMEOUT).until(() -> scaledToZero("web").map(c -> "Serving".equals(c.getReason())).orElse(false)
        && Integer.valueOf(2).equals(get("web").getStatus().getReadyReplicas()));
    assertThat(activatorEndpoint("web")).isEmpty();
  }
}
