package io.unikernetes.e2e.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.agent.UnikernetesAgent;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.UnikernelDeployment;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.status.ConditionStatus;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.e2e.support.HelloImage;
import io.unikernetes.e2e.support.TestEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A host whose agent stops heartbeating: its XenNode turns Ready=Unknown when the Lease expires; after the
 * grace period (3 s in tests) its guests are marked lost (Ready=Unknown, NodeLost) without being failed or
 * destroyed; the deployment replaces them on another node and deletes them only once the replacements are
 * available. Deleting the silent host's XenNode then releases every guest still waiting for its agent.
 */
class NodeLossIT {

  private static final String NS = "node-loss";
  private static final Map<String, String> POOL = Map.of("pool", "node-loss");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void guestsOfALostNodeAreReplacedFirstAndReleasedWhenTheNodeIsDeleted() throws Exception {
    TestEnvironment env = TestEnvironment.get();
    KubernetesClient client = env.client();
    env.createNamespace(NS);
    UnikernetesAgent first = env.startAgent("loss-a", "test:///default", 3, POOL);
    UnikernetesAgent second = null;
    try {
      client.resource(Guests.deployment(NS, "survivor", 2, HelloImage.get(), "32Mi", POOL)).create();
      Unikernel bare = client.resource(Guests.guest(NS, "bare", HelloImage.get(), "32Mi", POOL)).create();
      try {
        await().atMost(TIMEOUT).until(() -> running(client).size() == 3);
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        client.resources(Unikernel.class).inNamespace(NS).list().getItems().forEach(g -> System.out.println(
            "NOT RUNNING? " + g.getMetadata().getName() + " " + g.getSpec().getNodeName() + " "
            + g.getStatus().getPhase() + " " + g.getStatus().getConditions().stream()
            .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason() + ": " + c.getMessage()).toList()));
        throw e;
      }
      assertThat(running(client)).allSatisfy(g -> assertThat(g.getSpec().getNodeName()).isEqualTo("loss-a"));
      List<String> lostNames = running(client).stream().map(g -> g.getMetadata().getName()).toList();
      second = env.startAgent("loss-b", "test:///default", 2, POOL);

      Instant lost = Instant.now();
      first.close(); // the host goes silent: no heartbeat, its XenNode stays
      await().atMost(Duration.ofSeconds(30)).until(() -> Conditions.find(
          client.resources(XenNode.class).withName("loss-a").get().getStatus().getConditions(), ConditionType.Ready)
          .map(c -> c.getStatus() == ConditionStatus.Unknown && "HeartbeatExpired".equals(c.getReason()))
          .orElse(false));
      assertThat(Conditions.find(client.resources(XenNode.class).withName("loss-a").get().getStatus().getConditions(),
          ConditionType.DiskPressure)).as("what the silent agent said about its disk is no longer known")
          .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo(ConditionStatus.Unknown));
      await().atMost(TIMEOUT).until(() -> running(client).stream()
          .filter(g -> "loss-b".equals(g.getSpec().getNodeName()) && isReady(g)).count() == 2);
      System.out.printf("node loss -> replacements Ready on another node: %d ms (lease 4 s + grace 3 s)%n",
          Duration.between(lost, Instant.now()).toMillis());

      // Nothing on the lost host was failed: the bare guest waits for its agent, marked lost.
      Unikernel waiting = Guests.get(client, NS, "bare");
      assertThat(waiting.getStatus().getPhase()).isEqualTo(UnikernelPhase.Running);
      assertThat(waiting.getStatus().getDomainUUID()).isEqualTo(Guests.get(client, NS, "bare").getStatus().getDomainUUID());
      var ready = Conditions.find(waiting.getStatus().getConditions(), ConditionType.Ready).orElseThrow();
      assertThat(ready.getStatus()).isEqualTo(ConditionStatus.Unknown);
      assertThat(ready.getReason()).isEqualTo("NodeLost");
      assertThat(waiting.getMetadata().getDeletionTimestamp()).isNull();
      // The deployment's lost guests were deleted only after their replacements were available; they wait
      // for the domain finalizer of the absent agent.
      await().atMost(TIMEOUT).until(() -> lostNames.stream().filter(n -> !n.equals("bare"))
          .map(n -> Guests.get(client, NS, n)).allMatch(g -> g != null && g.getMetadata().getDeletionTimestamp() != null));
      assertThat(client.resources(Unikernel.class).inNamespace(NS).list().getItems())
          .noneMatch(g -> g.getStatus() != null && g.getStatus().getPhase() == UnikernelPhase.Failed);

      // The host is decommissioned: its guests are released instead of hanging forever.
      client.resources(XenNode.class).withName("loss-a").delete();
      await().atMost(TIMEOUT).until(() -> lostNames.stream().filter(n -> !n.equals("bare"))
          .allMatch(n -> Guests.get(client, NS, n) == null));
      var deleted = env.cluster().kubectl(null, "delete", "-n", NS, "unikernel/bare", "--timeout=30s");
      assertThat(deleted.exitCode()).as(deleted.output()).isZero();
      assertThat(client.v1().events().inNamespace(NS).list().getItems())
          .anyMatch(e -> "bare".equals(e.getInvolvedObject().getName()) && "NodeDeleted".equals(e.getReason())
              && e.getMessage().contains("left to that host's agent"));
      assertThat(bare.getMetadata().getUid()).isNotNull();
    } finally {
      client.resources(UnikernelDeployment.class).inNamespace(NS).delete();
      if (second != null) {
        UnikernetesAgent b = second;
        await().atMost(TIMEOUT).until(() -> running(client).isEmpty());
        env.stopAgent(b, "loss-b");
      }
      first.close();
      client.resources(XenNode.class).withName("loss-a").delete();
    }
  }

  /**
   * A XenNode deleted while its agent is gone and before the heartbeat expires: its bound guest is marked lost
   * at once, saying the node no longer exists, and deleting the guest then releases it (no agent will remove
   * its domain finalizer).
   */
  @Test
  void aGuestOfADeletedNodeIsMarkedLostAtOnceAndReleasedWhenDeleted() throws Exception {
    TestEnvironment env = TestEnvironment.get();
    KubernetesClient client = env.client();
    String ns = "node-deleted";
    env.createNamespace(ns);
    Map<String, String> pool = Map.of("pool", "node-deleted");
    // A heartbeat of 5 s (a Lease of 20 s): the node's deletion, not its silence, must mark the guest.
    UnikernetesAgent agent = env.startAgent("node-gone", "test:///default", 1, pool, Duration.ofSeconds(5));
    try {
      client.resource(Guests.guest(ns, "orphan", HelloImage.get(), "32Mi", pool)).create();
      await().atMost(TIMEOUT).until(() -> {
        Unikernel g = Guests.get(client, ns, "orphan");
        return g.getStatus() != null && g.getStatus().getPhase() == UnikernelPhase.Running;
      });
      agent.close();
      client.resources(XenNode.class).withName("node-gone").delete();
      await().atMost(TIMEOUT).until(() -> Conditions.find(Guests.get(client, ns, "orphan").getStatus()
          .getConditions(), ConditionType.Ready).map(c -> c.getStatus() == ConditionStatus.Unknown
          && "NodeLost".equals(c.getReason()) && c.getMessage().contains("XenNode node-gone no longer exists"))
          .orElse(false));
      var deleted = env.cluster().kubectl(null, "delete", "-n", ns, "unikernel/orphan", "--timeout=30s");
      assertThat(deleted.exitCode()).as(deleted.output()).isZero();
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(client.v1().events().inNamespace(ns).list().getItems())
          .anyMatch(e -> "orphan".equals(e.getInvolvedObject().getName()) && "NodeDeleted".equals(e.getReason())
              && e.getMessage().contains("left to that host's agent")));
    } finally {
      agent.close();
      client.resources(XenNode.class).withName("node-gone").delete();
    }
  }

  private static boolean isReady(Unikernel guest) {
    return Conditions.isTrue(guest.getStatus().getConditions(), ConditionType.Ready);
  }

  private static List<Unikernel> running(KubernetesClient client) {
    return client.resources(Unikernel.class).inNamespace(NS).list().getItems().stream()
        .filter(g -> g.getStatus() != null && g.getStatus().getPhase() == UnikernelPhase.Running
            && g.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }
}
