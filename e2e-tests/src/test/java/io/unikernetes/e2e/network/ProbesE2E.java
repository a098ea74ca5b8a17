package io.unikernetes.e2e.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.UnikernelDeployment;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.GuestSpec;
import io.unikernetes.api.v1alpha1.spec.RolloutStrategy;
import io.unikernetes.api.v1alpha1.spec.HttpGetAction;
import io.unikernetes.api.v1alpha1.spec.Probe;
import io.unikernetes.api.v1alpha1.spec.TcpSocketAction;
import io.unikernetes.api.v1alpha1.status.Condition;
import io.unikernetes.common.net.Ipv4Subnet;
import io.unikernetes.local.process.AgentProcess;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.local.host.NetnsLibvirtd;
import io.unikernetes.e2e.support.TestEnvironment;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Readiness and liveness probes on real QEMU guests. The agent runs inside the network namespace of its
 * guests' bridge, as on a real host, and reaches the API server and the image server through loopback
 * relays; probes go from it to the guests inside that namespace only.
 */
class ProbesE2E {

  private static final String NS = "probes";
  private static final String NODE = "probes-node";
  private static final String NETNS = "uk-e2e-probes";
  private static final Ipv4Subnet SUBNET = Ipv4Subnet.parse("10.240.249.0/24");
  private static final Map<String, String> POOL = Map.of("pool", "probes");
  private static final Duration TIMEOUT = Duration.ofSeconds(180);
  private static TestEnvironment env;
  private static KubernetesClient client;
  private static NetnsLibvirtd host;
  private static ServingGuests.Images images;
  private static AgentProcess agent;

  @BeforeAll
  static void setUp() throws Exception {
    env = TestEnvironment.get();
    client = env.client();
    env.createNamespace(NS);
    images = ServingGuests.serve(env.repository());
    Path work = env.newWorkDir("probes");
    host = NetnsLibvirtd.start(env.repository(), work.resolve("libvirtd"), NETNS, "ukbr0",
        SUBNET.address(1) + "/" + SUBNET.prefixLength());
    host.relay(client.getMasterUrl().getPort());
    host.relay(URI.create(images.kernel().getUrl()).getPort());
    ServingGuests.pinNode(client, NODE, SUBNET);
    agent = AgentProcess.startInNetns(host, env.repository(), env.cluster().kubeconfig(), NODE,
        work.resolve("agent"), "pool=probes", TestEnvironment.NODE_LEASES, work.resolve("agent.log"),
        List.of("--guest-bridge=ukbr0"));
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      client.services().inNamespace(NS).delete();
      client.resources(UnikernelDeployment.class).inNamespace(NS).delete();
      client.resources(Unikernel.class).inNamespace(NS).delete();
      await().atMost(TIMEOUT).until(() -> client.resources(Unikernel.class).inNamespace(NS).list().getItems().isEmpty());
      agent.close();
      client.resources(XenNode.class).withName(NODE).delete();
    } finally {
      host.close();
      images.close();
    }
  }

  private static void create(String name, Probe readiness, Probe liveness) {
    Unikernel guest = ServingGuests.guest(NS, name, "probed", images.kernel(), POOL, "");
    guest.getSpec().setReadinessProbe(readiness);
    guest.getSpec().setLivenessProbe(liveness);
    client.resource(guest).create();
  }

  private static Probe httpGet(String path, IntOrString port) {
    Probe probe = new Probe();
    probe.setHttpGet(new HttpGetAction(path, port));
    probe.setPeriodSeconds(1);
    probe.setFailureThreshold(2);
    return probe;
  }

  private static Probe tcp(int port) {
    Probe probe = new Probe();
    probe.setTcpSocket(new TcpSocketAction(new IntOrString(port)));
    probe.setPeriodSeconds(1);
    probe.setFailureThreshold(2);
    return probe;
  }

  private static Optional<Condition> ready(String name) {
    return Guests.readyCondition(client, NS, name);
  }

  private static Optional<Endpoint> endpointOf(String ip) {
    return client.discovery().v1().endpointSlices().inNamespace(NS)
        .withLabel("kubernetes.io/service-name", "probed")
        .withLabel("endpointslice.kubernetes.io/managed-by", "unikernetes.io").list().getItems().stream()
        .flatMap(s -> s.getEndpoints().stream()).filter(e -> e.getAddresses().contains(ip)).findFirst();
  }

  @Test
  void theReadinessProbeGatesReadyAndTheServicesEndpoints() throws Exception {
    client.resource(new ServiceBuilder().withNewMetadata().withName("probed").withNamespace(NS).endMetadata()
        .withNewSpec().withSelector(Map.of("app", "probed"))
        .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
        .endSpec().build()).create();
    create("serves", httpGet("/healthz", new IntOrString("http")), null);
    create("never-ready", tcp(8081), null); // nothing listens on 8081

    await().atMost(TIMEOUT).until(() -> ready("serves").map(c -> "True".equals(c.getStatus().toString())).orElse(false));
    String serving = Guests.get(client, NS, "serves").getStatus().getIp();
    await().atMost(TIMEOUT).until(() -> endpointOf(serving).map(e -> e.getConditions().getReady()).orElse(false));

    await().atMost(TIMEOUT).until(() -> ready("never-ready").map(c -> "ProbeFailed".equals(c.getReason())
        && c.getMessage().contains("connection refused")).orElse(false));
    Unikernel notReady = Guests.get(client, NS, "never-ready");
    assertThat(notReady.getStatus().getPhase()).hasToString("Running");
    assertThat(ready("never-ready").orElseThrow().getMessage())
        .isEqualTo("readiness probe: TCP " + notReady.getStatus().getIp() + ":8081: connection refused");
    await().atMost(TIMEOUT).until(() -> endpointOf(notReady.getStatus().getIp())
        .map(e -> !e.getConditions().getReady()).orElse(false));
    assertThat(host.httpGet("http://" + notReady.getStatus().getIp() + ":8080/")).isPresent(); // it serves, on 8080
  }

  /** Apply to Ready (readiness probe passed), five guests one after another; prints the figures and p50. */
  @Test
  void applyToReadyWithTheProbePassed() throws Exception {
    List<Long> millis = new java.util.ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      String name = "timed-" + i;
      java.time.Instant applied = java.time.Instant.now();
      create(name, httpGet("/healthz", new IntOrString("http")), null);
      await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() ->
          ready(name).map(c -> "True".equals(c.getStatus().toString())).orElse(false));
      millis.add(Duration.between(applied, java.time.Instant.now()).toMillis());
      // Ready means serving: never before the guest answers (it was, for a moment after boot, before a fix).
      String ip = Guests.get(client, NS, name).getStatus().getIp();
      assertThat(host.httpGet("http://" + ip + ":8080/healthz")).as(name + " Ready but not answering").isPresent();
      client.resources(Unikernel.class).inNamespace(NS).withName(name).delete();
    }
    List<Long> sorted = millis.stream().sorted().toList();
    System.out.printf("apply -> Ready (readiness probe passed) on QEMU, 5 runs (ms): %s; p50 %d ms%n", millis,
        sorted.get(2));
  }

  /**
   * Two replicas behind a Service roll to a new revision (maxSurge 1, maxUnavailable 0) while every change of
   * the Service's slices is watched: a new guest takes the place of an old one only once its readiness probe
   * passes, so the Service never runs out of ready endpoints.
   */
  @Test
  void aRollingUpdateNeverLeavesTheServiceWithoutAReadyEndpoint() throws Exception {
    client.resource(new ServiceBuilder().withNewMetadata().withName("rolling").withNamespace(NS).endMetadata()
        .withNewSpec().withSelector(Map.of("app", "rolling"))
        .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
        .endSpec().build()).create();
    UnikernelDeployment deployment = Guests.deployment(NS, "rolling", 2, images.kernel(), "96Mi", POOL);
    GuestSpec template = deployment.getSpec().getTemplate().getSpec();
    Unikernel shape = ServingGuests.guest(NS, "x", "rolling", images.kernel(), POOL, "");
    template.setCmdline(shape.getSpec().getCmdline().replace("uk.name=x", "uk.name=v1"));
    template.setPorts(shape.getSpec().getPorts());
    template.setReadinessProbe(httpGet("/healthz", new IntOrString("http")));
    RolloutStrategy.RollingUpdate bounds = new RolloutStrategy.RollingUpdate();
    bounds.setMaxSurge(new IntOrString(1));
    bounds.setMaxUnavailable(new IntOrString(0));
    RolloutStrategy strategy = new RolloutStrategy();
    strategy.setRollingUpdate(bounds);
    deployment.getSpec().setStrategy(strategy);
    client.resource(deployment).create();
    await().atMost(TIMEOUT).until(() -> readyEndpoints("rolling") == 2);

    AtomicInteger fewest = new AtomicInteger(Integer.MAX_VALUE);
    AtomicInteger changes = new AtomicInteger();
    try (var watch = client.discovery().v1().endpointSlices().inNamespace(NS)
        .withLabel("kubernetes.io/service-name", "rolling").inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(EndpointSlice slice) {
            seen();
          }

          @Override
          public void onUpdate(EndpointSlice before, EndpointSlice after) {
            seen();
          }

          @Override
          public void onDelete(EndpointSlice slice, boolean unknown) {
            seen();
          }

          private void seen() {
            changes.incrementAndGet();
            fewest.accumulateAndGet(readyEndpoints("rolling"), Math::min);
          }
        })) {
      client.resources(UnikernelDeployment.class).inNamespace(NS).withName("rolling").edit(d -> {
        d.getSpec().getTemplate().getSpec().setCmdline(template.getCmdline().replace("uk.name=v1", "uk.name=v2"));
        return d;
      });
      await().atMost(TIMEOUT.multipliedBy(2)).until(() -> {
        var status = client.resources(UnikernelDeployment.class).inNamespace(NS).withName("rolling").get().getStatus();
        return status != null && Integer.valueOf(2).equals(status.getUpdatedReplicas())
            && Integer.valueOf(2).equals(status.getAvailableReplicas()) && Integer.valueOf(2).equals(status.getReplicas());
      });
      await().atMost(TIMEOUT).until(() -> readyEndpoints("rolling") == 2);
    }
    System.out.printf("rollout behind a Service: %d slice changes watched, fewest ready endpoints %d%n",
        changes.get(), fewest.get());
    assertThat(changes.get()).isPositive();
    assertThat(fewest.get()).isGreaterThanOrEqualTo(1);
    client.resources(UnikernelDeployment.class).inNamespace(NS).withName("rolling").delete();
  }

  /** Ready endpoints in the Service's slices managed by Unikernetes, as kube-proxy would count them. */
  private static int readyEndpoints(String service) {
    return (int) client.discovery().v1().endpointSlices().inNamespace(NS)
        .withLabel("kubernetes.io/service-name", service)
        .withLabel("endpointslice.kubernetes.io/managed-by", "unikernetes.io").list().getItems().stream()
        .flatMap(s -> s.getEndpoints() == null ? java.util.stream.Stream.<Endpoint>empty() : s.getEndpoints().stream())
        .filter(e -> Boolean.TRUE.equals(e.getConditions().getReady())).count();
  }

  @Test
  void aFailingLivenessProbeRestartsTheGuestAndSaysWhy() {
    create("dies", null, httpGet("/missing", new IntOrString(8080))); // busybox httpd answers 404
    await().atMost(TIMEOUT).until(() -> {
      Unikernel g = Guests.get(client, NS, "dies");
      return g != null && g.getStatus() != null && Objects.requireNonNullElse(g.getStatus().getRestartCount(), 0) >= 1;
    });
    var events = client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> "dies".equals(e.getInvolvedObject().getName()) && "LivenessProbeFailed".equals(e.getReason()))
        .toList();
    assertThat(events).isNotEmpty();
    // While it boots the guest does not answer at all, then its httpd says 404: either fails the probe.
    assertThat(events.get(0).getMessage()).startsWith("liveness probe failed: GET http://")
        .containsPattern(":8080/missing: (HTTP 404|no answer within 1 s|timed out)")
        .endsWith("; restarting the guest (restartPolicy Always)");
  }
}
