package io.unikernetes.e2e.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.agent.UnikernetesAgent;
import io.unikernetes.agent.network.GuestNetworkConfig;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.GuestPort;
import io.unikernetes.api.v1alpha1.spec.NetworkMode;
import io.unikernetes.api.v1alpha1.spec.PortProtocol;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.common.net.Ipv4Subnet;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.e2e.support.HelloImage;
import io.unikernetes.e2e.support.TestEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Guest addresses from an agent on libvirt's test driver with a guest bridge configured, against the real
 * API server: addresses in the node's subnet, one per guest, kept across an agent restart, and routed to by a
 * Service's EndpointSlice. (The test driver checks no bridge; reaching real guests is QEMU's and Xen's part.)
 */
class GuestNetworkIT {

  private static final String NS = "guest-network";
  private static final String NODE = "net-1";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Map<String, String> POOL = Map.of("pool", "guest-network");
  private static final GuestNetworkConfig BRIDGED = GuestNetworkConfig.of("ukbr0", "10.96.0.10")
      .withoutTrafficNoting(); // in-process, on the host's network namespace
  private static TestEnvironment env;
  private static KubernetesClient client;
  private static UnikernetesAgent agent;

  @BeforeAll
  static void setUp() throws Exception {
    env = TestEnvironment.get();
    client = env.client();
    env.createNamespace(NS);
    agent = env.startAgent(NODE, "test:///default", 20, POOL, Duration.ofSeconds(1), BRIDGED);
  }

  @AfterEach
  void cleanUp() {
    client.services().inNamespace(NS).delete();
    client.resources(Unikernel.class).inNamespace(NS).delete();
    await().atMost(TIMEOUT).until(() -> client.resources(Unikernel.class).inNamespace(NS).list().getItems().isEmpty());
  }

  @AfterAll
  static void tearDown() {
    env.stopAgent(agent, NODE);
  }

  private static void create(String name, NetworkMode network) throws Exception {
    Unikernel guest = Guests.guest(NS, name, HelloImage.get(), "16Mi", POOL);
    guest.getMetadata().setLabels(Map.of("app", "net-web"));
    guest.getSpec().setCmdline("ip=$(GUEST_IP)/$(GUEST_PREFIX_LENGTH) gw=$(GUEST_GATEWAY)");
    guest.getSpec().setNetwork(network);
    guest.getSpec().setPorts(List.of(new GuestPort("http", 8080, PortProtocol.TCP)));
    client.resource(guest).create();
  }

  private static List<Unikernel> running() {
    return client.resources(Unikernel.class).inNamespace(NS).list().getItems().stream()
        .filter(g -> g.getStatus() != null && g.getStatus().getPhase() == UnikernelPhase.Running).toList();
  }

  private static Map<String, String> addresses() {
    return client.resources(Unikernel.class).inNamespace(NS).list().getItems().stream()
        .filter(g -> g.getStatus() != null && g.getStatus().getIp() != null)
        .collect(java.util.stream.Collectors.toMap(g -> g.getMetadata().getName(), g -> g.getStatus().getIp()));
  }

  private static Ipv4Subnet nodeSubnet() {
    await().atMost(TIMEOUT).until(() -> client.resources(XenNode.class).withName(NODE).get().getSpec() != null
        && client.resources(XenNode.class).withName(NODE).get().getSpec().getGuestSubnet() != null);
    return Ipv4Subnet.parse(client.resources(XenNode.class).withName(NODE).get().getSpec().getGuestSubnet());
  }

  @Test
  void guestsGetTheirOwnAddressInTheNodesSubnetAndAServiceRoutesToThem() throws Exception {
    Ipv4Subnet subnet = nodeSubnet();
    for (int i = 0; i < 3; i++) {
      create("web-" + i, NetworkMode.BRIDGE);
    }
    await().atMost(TIMEOUT).until(() -> running().size() == 3);

    Map<String, String> ips = addresses();
    assertThat(ips).hasSize(3);
    assertThat(ips.values()).doesNotHaveDuplicates().allSatisfy(ip -> {
      assertThat(subnet.contains(ip)).as(ip).isTrue();
      assertThat(ip).isNotEqualTo(subnet.address(0)).isNotEqualTo(subnet.address(1));
    });
    assertThat(running()).allSatisfy(g ->
        assertThat(g.getStatus().getAddresses()).singleElement().satisfies(a -> assertThat(a.getIp()).isEqualTo(g.getStatus().getIp())));

    client.resource(new ServiceBuilder().withNewMetadata().withName("web").withNamespace(NS).endMetadata()
        .withNewSpec().withSelector(Map.of("app", "net-web"))
        .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
        .endSpec().build()).create();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(client.discovery().v1().endpointSlices().inNamespace(NS)
        .withLabel("kubernetes.io/service-name", "web")
        .withLabel("endpointslice.kubernetes.io/managed-by", "unikernetes.io").list().getItems().stream()
        .flatMap(s -> s.getEndpoints().stream())
        .filter(e -> e.getConditions().getReady()).map(e -> e.getAddresses().get(0)).toList())
        .containsExactlyInAnyOrderElementsOf(ips.values()));
  }

  @Test
  void aGuestWithNetworkNoneGetsNoAddress() throws Exception {
    nodeSubnet();
    create("batch", NetworkMode.NONE);
    await().atMost(TIMEOUT).until(() -> running().size() == 1);
    assertThat(running().get(0).getStatus().getIp()).isNull();
  }

  @Test
  void anAgentRestartKeepsEveryAddressAndGivesNoneTwice() throws Exception {
    nodeSubnet();
    IntStream.range(0, 3).forEach(i -> {
      try {
        create("kept-" + i, NetworkMode.BRIDGE);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(TIMEOUT).until(() -> running().size() == 3 && addresses().size() == 3);
    Map<String, String> before = addresses();

    // A new agent process knows nothing but what the API and libvirt hold (test:///default is shared within
    // this JVM, so it adopts the running domains): the guests keep their addresses, and a new guest gets none
    // of theirs.
    agent.close();
    agent = env.startAgent(NODE, "test:///default", 20, POOL, Duration.ofSeconds(1), BRIDGED);
    create("kept-new", NetworkMode.BRIDGE);
    await().atMost(TIMEOUT).until(() -> running().size() == 4 && addresses().size() == 4);
    assertThat(addresses()).containsAllEntriesOf(before);
    assertThat(before.values()).doesNotContain(addresses().get("kept-new"));
  }
}
