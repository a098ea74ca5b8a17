package io.unikernetes.e2e.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.agent.UnikernetesAgent;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.UnikernelDeployment;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
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
 * A host whose agent stops heartbeating: its XenNode turns Ready=Unknown when the Lease expires, and after
 * the grace period (3 s in tests) its guests are marked Failed (NodeLost) and their deployment replaces them
 * on another node.
 */
class NodeLossIT {

  private static final String NS = "node-loss";
  private static final Map<String, String> POOL = Map.of("pool", "node-loss");

  @Test
  void guestsOfALostNodeAreReplacedElsewhere() throws Exception {
    TestEnvironment env = TestEnvironment.get();
    KubernetesClient client = env.client();
    env.createNamespace(NS);
    UnikernetesAgent first = env.startAgent("loss-a", "test:///default", 2, POOL);
    UnikernetesAgent second = null;
    try {
      var image = HelloImage.get();
      client.resource(deployment(image)).create();
      await().atMost(Duration.ofSeconds(60)).until(() -> running(client).size() == 2);
      assertThat(running(client)).allSatisfy(g -> assertThat(g.getSpec().getNodeName()).isEqualTo("loss-a"));
      second = env.startAgent("loss-b", "test:///default", 2, POOL);

      Instant lost = Instant.now();
      first.close(); // the host goes silent: no heartbeat, its XenNode stays
      await().atMost(Duration.ofSeconds(30)).until(() -> Conditions.find(
          client.resources(XenNode.class).withName("loss-a").get().getStatus().getConditions(), ConditionType.Ready)
          .map(c -> c.getStatus() == ConditionStatus.Unknown && "HeartbeatExpired".equals(c.getReason()))
          .orElse(false));
      await().atMost(Duration.ofSeconds(60)).until(() -> running(client).size() == 2
          && running(client).stream().allMatch(g -> "loss-b".equals(g.getSpec().getNodeName())));
      System.out.printf("node loss -> replacements Running on another node: %d ms (lease 4 s + grace 3 s)%n",
          Duration.between(lost, Instant.now()).toMillis());

      List<Unikernel> failed = client.resources(Unikernel.class).inNamespace(NS).list().getItems().stream()
          .filter(g -> g.getStatus() != null && g.getStatus().getPhase() == UnikernelPhase.Failed).toList();
      assertThat(failed).hasSize(2).allSatisfy(g -> assertThat(Conditions.find(g.getStatus().getConditions(),
          ConditionType.Ready).orElseThrow().getReason()).isEqualTo("NodeLost"));
    } finally {
      client.resources(UnikernelDeployment.class).inNamespace(NS).delete();
      if (second != null) {
        UnikernetesAgent b = second;
        await().atMost(Duration.ofSeconds(60)).until(() -> running(client).isEmpty());
        env.stopAgent(b, "loss-b");
      }
      first.close();
      client.resources(XenNode.class).withName("loss-a").delete();
      // Guests bound to the silent node keep the finalizer of its absent agent: release them.
      for (Unikernel g : client.resources(Unikernel.class).inNamespace(NS).list().getItems()) {
        client.resource(g).edit(u -> {
          u.getMetadata().setFinalizers(List.of());
          return u;
        });
      }
    }
  }

  private static List<Unikernel> running(KubernetesClient client) {
    return client.resources(Unikernel.class).inNamespace(NS).list().getItems().stream()
        .filter(g -> g.getStatus() != null && g.getStatus().getPhase() == UnikernelPhase.Running
            && g.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private static UnikernelDeployment deployment(ImageSource image) {
    return Guests.deployment(NS, "survivor", 2, image, "32Mi", POOL);
  }
}
