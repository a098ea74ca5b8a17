package io.unikernetes.e2e.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.XenNodeSpec;
import io.unikernetes.common.net.Ipv4Subnet;
import io.unikernetes.e2e.support.TestEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Guest subnets per XenNode from the operator's pool (10.240.0.0/16 in /24s), against the real API server. */
class NodeSubnetsIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final List<String> NODES = List.of("subnet-a", "subnet-b", "subnet-pinned");
  private static TestEnvironment env;
  private static KubernetesClient client;

  @BeforeAll
  static void setUp() throws Exception {
    env = TestEnvironment.get();
    client = env.client();
  }

  @AfterEach
  void cleanUp() {
    NODES.forEach(n -> client.resources(XenNode.class).withName(n).delete());
    await().atMost(TIMEOUT).until(() -> NODES.stream().allMatch(n -> client.resources(XenNode.class).withName(n).get() == null));
  }

  private static XenNode node(String name, String subnet) {
    XenNode node = new XenNode();
    node.getMetadata().setName(name);
    node.setSpec(new XenNodeSpec());
    node.getSpec().setGuestSubnet(subnet);
    return client.resource(node).create();
  }

  private static String subnetOf(String name) {
    XenNode node = client.resources(XenNode.class).withName(name).get();
    return node == null || node.getSpec() == null ? null : node.getSpec().getGuestSubnet();
  }

  @Test
  void eachNodeGetsItsOwnSubnetAroundAPinnedOne() throws Exception {
    node("subnet-pinned", "10.240.200.0/23");
    node("subnet-a", null);
    node("subnet-b", null);
    await().atMost(TIMEOUT).until(() -> subnetOf("subnet-a") != null && subnetOf("subnet-b") != null);

    List<Ipv4Subnet> subnets = NODES.stream().map(NodeSubnetsIT::subnetOf).map(Ipv4Subnet::parse).toList();
    assertThat(subnets).doesNotHaveDuplicates();
    for (Ipv4Subnet subnet : subnets) {
      assertThat(subnets.stream().filter(other -> !other.equals(subnet)).noneMatch(subnet::overlaps)).isTrue();
    }
    assertThat(subnets.subList(0, 2)).allSatisfy(s -> {
      assertThat(s.prefixLength()).isEqualTo(24);
      assertThat(Ipv4Subnet.parse("10.240.0.0/16").overlaps(s)).isTrue();
    });
    assertThat(subnetOf("subnet-pinned")).isEqualTo("10.240.200.0/23");

    var wide = env.cluster().kubectl(null, "get", "xennode", "subnet-a", "-o", "wide");
    assertThat(wide.exitCode()).as(wide.output()).isZero();
    assertThat(wide.stdout()).contains("SUBNET").contains(subnetOf("subnet-a"));
  }

  @Test
  void aSubnetCannotChangeAndMustBeAnIpv4Network() throws Exception {
    node("subnet-a", "10.240.9.0/24");
    var moved = env.cluster().kubectl(null, "patch", "xennode", "subnet-a", "--type=merge",
        "-p", "{\"spec\":{\"guestSubnet\":\"10.240.10.0/24\"}}");
    assertThat(moved.exitCode()).isNotZero();
    assertThat(moved.stderr()).contains("spec.guestSubnet: Invalid value: \"object\": guestSubnet cannot be changed");

    for (String bad : List.of("10.240.3.7/24", "fd00::/64", "10.240.0.0/30", "not-a-cidr")) {
      var rejected = env.cluster().kubectl("apiVersion: unikernetes.io/v1alpha1\nkind: XenNode\nmetadata:\n  name: "
          + "subnet-b\nspec:\n  guestSubnet: \"" + bad + "\"\n", "apply", "-f", "-");
      assertThat(rejected.exitCode()).as(bad).isNotZero();
      assertThat(rejected.stderr()).as(bad).contains("spec.guestSubnet: Invalid value")
          .contains("guestSubnet must be an IPv4 network in CIDR notation");
    }
    assertThat(Objects.requireNonNull(subnetOf("subnet-a"))).isEqualTo("10.240.9.0/24");
  }
}
