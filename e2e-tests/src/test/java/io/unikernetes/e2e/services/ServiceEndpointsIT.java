package io.unikernetes.e2e.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.GuestPort;
import io.unikernetes.api.v1alpha1.spec.PortProtocol;
import io.unikernetes.api.v1alpha1.spec.XenNodeSpec;
import io.unikernetes.api.v1alpha1.status.ConditionStatus;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.NodeResources;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.api.v1alpha1.status.XenNodeStatus;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.e2e.support.HelloImage;
import io.unikernetes.e2e.support.TestEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's EndpointSlices for plain Services that select Unikernels, against the real API server and
 * kube-controller-manager. The test plays the node's agent: it writes the guests' status (Running, Ready,
 * ip) on a XenNode no agent runs, so it alone decides readiness.
 */
class ServiceEndpointsIT {

  private static final String NS = "services";
  private static final String NODE = "services-node";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String OURS = "endpointslice.kubernetes.io/managed-by=unikernetes.io";
  private static TestEnvironment env;
  private static KubernetesClient client;

  @BeforeAll
  static void setUp() throws Exception {
    env = TestEnvironment.get();
    client = env.client();
    env.createNamespace(NS);
    XenNode node = new XenNode();
    node.getMetadata().setName(NODE);
    node.setSpec(new XenNodeSpec());
    XenNode created = client.resource(node).create();
    XenNodeStatus status = new XenNodeStatus();
    status.setAllocatable(new NodeResources("1Gi", "8", 10));
    created.setStatus(status);
    client.resource(created).updateStatus();
  }

  @AfterAll
  static void tearDown() {
    client.services().inNamespace(NS).delete();
    client.resources(Unikernel.class).inNamespace(NS).delete();
    await().atMost(TIMEOUT).until(() -> client.resources(Unikernel.class).inNamespace(NS).list().getItems().isEmpty());
    client.resources(XenNode.class).withName(NODE).delete();
  }

  /** A guest pinned to the agent-less node, Running with {@code ip} and Ready as given, as an agent reports it. */
  private static void runningGuest(String name, String ip, boolean ready) throws Exception {
    Unikernel guest = Guests.guest(NS, name, HelloImage.get(), "32Mi", Map.of());
    guest.getMetadata().setLabels(Map.of("app", "web"));
    guest.getSpec().setNodeName(NODE);
    guest.getSpec().setPorts(List.of(new GuestPort("http", 8080, PortProtocol.TCP)));
    client.resource(guest).create();
    await().atMost(TIMEOUT).until(() -> {
      Unikernel g = Guests.get(client, NS, name);
      return g.getStatus() != null && Conditions.isTrue(g.getStatus().getConditions(), ConditionType.Scheduled);
    });
    report(name, ip, ready);
  }

  private static void report(String name, String ip, boolean ready) {
    client.resources(Unikernel.class).inNamespace(NS).withName(name).editStatus(g -> {
      g.getStatus().setPhase(UnikernelPhase.Running);
      g.getStatus().setIp(ip);
      g.getStatus().setConditions(Conditions.with(g.getStatus().getConditions(), ConditionType.Ready,
          ready ? ConditionStatus.True : ConditionStatus.False, ready ? Reason.Running : Reason.Booting,
          "as the agent reports it", g.getMetadata().getGeneration(), Instant.now()));
      return g;
    });
  }

  private static Service service(String name, IntOrString targetPort) {
    return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withSelector(Map.of("app", "web"))
        .addNewPort().withName("http").withPort(80).withTargetPort(targetPort).endPort()
        .endSpec().build();
  }

  private static List<EndpointSlice> slices(String service, String selector) {
    return client.discovery().v1().endpointSlices().inNamespace(NS)
        .withLabel("kubernetes.io/service-name", service).withLabelSelector(selector).list().getItems();
  }

  /** Ready flag per address in the Service's slices managed by Unikernetes. */
  private static Map<String, Boolean> readiness(String service) {
    return slices(service, OURS).stream().flatMap(s -> s.getEndpoints() == null ? java.util.stream.Stream.<Endpoint>empty()
            : s.getEndpoints().stream())
        .collect(Collectors.toMap(e -> e.getAddresses().get(0), e -> e.getConditions().getReady()));
  }

  @Test
  void aServiceGetsSlicesThatFollowItsGuestsReadinessAndGoWithIt() throws Exception {
    runningGuest("web-a", "10.240.7.2", true);
    runningGuest("web-b", "10.240.7.3", false);
    client.resource(service("web", new IntOrString("http"))).create();

    await().atMost(TIMEOUT).until(() -> readiness("web").equals(Map.of("10.240.7.2", true, "10.240.7.3", false)));
    EndpointSlice ours = slices("web", OURS).get(0);
    assertThat(ours.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("http");
      assertThat(p.getPort()).isEqualTo(8080);
      assertThat(p.getProtocol()).isEqualTo("TCP");
    });
    assertThat(ours.getEndpoints()).allSatisfy(e -> {
      assertThat(e.getNodeName()).isEqualTo(NODE);
      assertThat(e.getTargetRef().getKind()).isEqualTo("Unikernel");
    });

    report("web-b", "10.240.7.3", true);
    await().atMost(TIMEOUT).until(() -> readiness("web").equals(Map.of("10.240.7.2", true, "10.240.7.3", true)));
    report("web-a", "10.240.7.2", false);
    await().atMost(TIMEOUT).until(() -> readiness("web").equals(Map.of("10.240.7.2", false, "10.240.7.3", true)));

    // Kubernetes' own controller keeps its slice for the same Service (no Pods: no endpoints) alongside ours.
    List<EndpointSlice> kubernetes = slices("web", "endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io");
    assertThat(kubernetes).singleElement().satisfies(s -> assertThat(s.getEndpoints()).isNullOrEmpty());

    client.services().inNamespace(NS).withName("web").delete();
    await().atMost(TIMEOUT).until(() -> slices("web", OURS).isEmpty());
  }

  @Test
  void aGuestLeavesTheSliceWhenItsLabelsNoLongerMatch() throws Exception {
    runningGuest("label-a", "10.240.7.10", true);
    client.resource(service("by-label", new IntOrString(8080))).create();
    await().atMost(TIMEOUT).until(() -> readiness("by-label").containsKey("10.240.7.10"));

    client.resources(Unikernel.class).inNamespace(NS).withName("label-a").edit(g -> {
      g.getMetadata().setLabels(Map.of("app", "other"));
      return g;
    });
    await().atMost(TIMEOUT).until(() -> !readiness("by-label").containsKey("10.240.7.10"));
  }
}
