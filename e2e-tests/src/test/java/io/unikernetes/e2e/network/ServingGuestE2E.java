package io.unikernetes.e2e.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.agent.UnikernetesAgent;
import io.unikernetes.agent.network.GuestMacs;
import io.unikernetes.agent.network.GuestNetworkConfig;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.common.net.Ipv4Subnet;
import io.unikernetes.local.process.CommandResult;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.local.host.NetnsLibvirtd;
import io.unikernetes.e2e.support.TestEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Guests that serve, on real QEMU guests: the serving test guest (Debian's kernel and a busybox initramfs,
 * hack/build-serving-guest.sh) inside a network namespace this test creates, under a private libvirtd
 * (hack/netns-libvirtd.sh). The agent keeps a libvirt network there (--guest-network): libvirt makes the
 * bridge and serves DHCP from the agent's reservations. Every request goes from inside that namespace to the
 * guests' addresses.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServingGuestE2E {

  private static final String NS = "serving";
  private static final String NODE = "serving-node";
  private static final String NETNS = "uk-e2e-serving";
  private static final Ipv4Subnet SUBNET = Ipv4Subnet.parse("10.240.250.0/24");
  private static final Map<String, String> POOL = Map.of("pool", "serving");
  private static final GuestNetworkConfig NETWORK = GuestNetworkConfig.of("ukbr0", "", "unikernetes")
      .withoutTrafficNoting(); // in-process, outside the namespace of its bridge
  private static final Duration TIMEOUT = Duration.ofSeconds(180);
  private static TestEnvironment env;
  private static KubernetesClient client;
  private static NetnsLibvirtd host;
  private static ServingGuests.Images images;
  private static UnikernetesAgent agent;

  @BeforeAll
  static void setUp() throws Exception {
    env = TestEnvironment.get();
    client = env.client();
    env.createNamespace(NS);
    images = ServingGuests.serve(env.repository());
    host = NetnsLibvirtd.start(env.repository(), env.newWorkDir("netns-libvirtd"), NETNS);
    ServingGuests.pinNode(client, NODE, SUBNET);
    agent = env.startAgent(NODE, host.uri(), 20, POOL, Duration.ofSeconds(1), NETWORK);
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      client.services().inNamespace(NS).delete();
      client.resources(Unikernel.class).inNamespace(NS).delete();
      await().atMost(TIMEOUT).until(() -> client.resources(Unikernel.class).inNamespace(NS).list().getItems().isEmpty());
      env.stopAgent(agent, NODE);
    } finally {
      host.close();
      images.close();
    }
  }

  private static void create(String name, String extraCmdline) {
    client.resource(ServingGuests.guest(NS, name, "serving", images.kernel(), POOL, extraCmdline)).create();
  }

  private static Unikernel awaitRunning(String name) {
    await().atMost(TIMEOUT).until(() -> {
      Unikernel g = Guests.get(client, NS, name);
      return g != null && g.getStatus() != null && g.getStatus().getPhase() == UnikernelPhase.Running
          && g.getStatus().getIp() != null;
    });
    return Guests.get(client, NS, name);
  }

  private static String awaitAnswer(String url) {
    String[] body = new String[1];
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
      Optional<String> answer = host.httpGet(url);
      answer.ifPresent(a -> body[0] = a);
      return answer.isPresent();
    });
    return body[0];
  }

  @Test
  @Order(1)
  void aServingGuestAnswersAtItsAddressAndBehindItsService() throws Exception {
    Instant applied = Instant.now();
    create("web-a", "");
    String ip = awaitRunning("web-a").getStatus().getIp();
    assertThat(SUBNET.contains(ip)).as(ip).isTrue();

    assertThat(awaitAnswer("http://" + ip + ":8080/")).isEqualTo("hello from web-a at " + ip);
    System.out.printf("serving guest: apply -> first HTTP answer at %s in %d ms%n", ip,
        Duration.between(applied, Instant.now()).toMillis());

    client.resource(new ServiceBuilder().withNewMetadata().withName("web").withNamespace(NS).endMetadata()
        .withNewSpec().withSelector(Map.of("app", "serving"))
        .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
        .endSpec().build()).create();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(client.discovery().v1().endpointSlices().inNamespace(NS)
        .withLabel("kubernetes.io/service-name", "web")
        .withLabel("endpointslice.kubernetes.io/managed-by", "unikernetes.io").list().getItems().stream()
        .flatMap(s -> s.getEndpoints().stream()).flatMap(e -> e.getAddresses().stream()).toList()).contains(ip));
    // What kube-proxy would do with that slice: the endpoint's address and port answer.
    var slice = client.discovery().v1().endpointSlices().inNamespace(NS).withLabel("kubernetes.io/service-name", "web")
        .withLabel("endpointslice.kubernetes.io/managed-by", "unikernetes.io").list().getItems().get(0);
    assertThat(awaitAnswer("http://" + slice.getEndpoints().get(0).getAddresses().get(0) + ":"
        + slice.getPorts().get(0).getPort() + "/")).startsWith("hello from web-");
  }

  @Test
  @Order(2)
  void twoGuestsOnOneNodeReachEachOther() {
    String a = awaitRunning("web-a").getStatus().getIp();
    create("web-b", " uk.peer=" + a + ":8080");
    String b = awaitRunning("web-b").getStatus().getIp();
    assertThat(b).isNotEqualTo(a);
    assertThat(awaitAnswer("http://" + b + ":8080/peer")).isEqualTo("hello from web-a at " + a);
  }

  @Test
  @Order(3)
  void aGuestWithoutAnAddressInItsCmdlineGetsItsAddressByDhcp() throws Exception {
    client.resource(ServingGuests.dhcpGuest(NS, "web-dhcp", "dhcp", images.kernel(), POOL)).create();
    Unikernel guest = awaitRunning("web-dhcp");
    String ip = guest.getStatus().getIp();
    // The guest configured itself from the lease: it names the address the agent chose and reserved.
    assertThat(awaitAnswer("http://" + ip + ":8080/")).isEqualTo("hello from web-dhcp at " + ip);
    CommandResult network = CommandResult.run(List.of("virsh", "-c", host.uri(), "net-dumpxml", "unikernetes"),
        Map.of(), null);
    assertThat(network.stdout()).contains("<ip address='" + SUBNET.address(1) + "' prefix='24'>")
        .contains("<host mac='" + GuestMacs.of(guest.getMetadata().getUid()) + "' ip='" + ip + "'>");
  }

  @Test
  @Order(4)
  void anAgentRestartKeepsEveryAddressAndEveryDomain() throws Exception {
    Map<String, String> before = Map.of(
        "web-a", awaitRunning("web-a").getStatus().getDomainUUID() + " " + awaitRunning("web-a").getStatus().getIp(),
        "web-b", awaitRunning("web-b").getStatus().getDomainUUID() + " " + awaitRunning("web-b").getStatus().getIp());
    agent.close();
    agent = env.startAgent(NODE, host.uri(), 20, POOL, Duration.ofSeconds(1), NETWORK);
    await().atMost(TIMEOUT).until(() -> before.keySet().stream().allMatch(n -> {
      Unikernel g = Guests.get(client, NS, n);
      return g.getStatus().getPhase() == UnikernelPhase.Running
          && before.get(n).equals(g.getStatus().getDomainUUID() + " " + g.getStatus().getIp());
    }));
    String a = before.get("web-a").split(" ")[1];
    assertThat(awaitAnswer("http://" + a + ":8080/")).isEqualTo("hello from web-a at " + a);
  }
}
