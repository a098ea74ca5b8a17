package io.unikernetes.e2e.gitops;

import static io.unikernetes.e2e.support.Guests.awaitPhase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.unikernetes.agent.UnikernetesAgent;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.UnikernelDeployment;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.local.process.CommandResult;
import io.unikernetes.e2e.support.HelloImage;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.e2e.support.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What GitOps tools see: the Argo CD health scripts of gitops/argocd run (with Lua, as Argo CD runs them)
 * on real objects in each state; the kstatus conditions Flux reads agree; applied examples show no drift.
 */
class GitOpsHealthIT {

  private static final String NS = "gitops";
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Map<String, String> POOL = Map.of("pool", "gitops");
  private static TestEnvironment env;
  private static KubernetesClient client;
  private static ImageSource hello;
  private static UnikernetesAgent agent;
  private static Path scripts;

  @BeforeAll
  static void setUp() throws Exception {
    env = TestEnvironment.get();
    client = env.client();
    env.createNamespace(NS);
    hello = HelloImage.get();
    agent = env.startAgent("gitops-node", "test:///default", 20, POOL);
    scripts = env.newWorkDir("argocd-health");
    var data = new YAMLMapper().readTree(env.repository().root()
        .resolve("gitops/argocd/argocd-cm-health.yaml").toFile()).get("data").fields();
    while (data.hasNext()) {
      var entry = data.next();
      String kind = entry.getKey().substring(entry.getKey().indexOf('_') + 1);
      Files.writeString(scripts.resolve(kind + ".lua"), entry.getValue().asText());
    }
    Files.copy(GitOpsHealthIT.class.getResourceAsStream("/argocd-run-health.lua"), scripts.resolve("run.lua"));
  }

  @AfterAll
  static void tearDown() {
    client.resources(UnikernelDeployment.class).inNamespace(NS).delete();
    client.resources(Unikernel.class).inNamespace(NS).delete();
    await().atMost(TIMEOUT).until(() -> client.resources(Unikernel.class).inNamespace(NS).list().getItems().isEmpty());
    env.stopAgent(agent, "gitops-node");
  }

  /** Argo CD's verdict on the object: "STATUS\tmessage". */
  private static String argoHealth(HasMetadata object) throws Exception {
    Path json = scripts.resolve(object.getMetadata().getName() + ".json");
    Files.writeString(json, Serialization.asJson(object));
    CommandResult result = CommandResult.run(List.of("lua5.1", scripts.resolve("run.lua").toString(),
        scripts.resolve(object.getKind() + ".lua").toString(), json.toString()), Map.of(), null);
    assertThat(result.exitCode()).as(result.output()).isZero();
    return result.stdout().trim();
  }

  private static boolean isTrue(Unikernel guest, ConditionType type) {
    return Conditions.isTrue(guest.getStatus().getConditions(), type);
  }

  @Test
  void unikernelHealthFollowsItsPhase() throws Exception {
    client.resource(Guests.guest(NS, "healthy", hello, "32Mi", POOL)).create();
    client.resource(Guests.guest(NS, "broken", new ImageSource(hello.getUrl(), "e".repeat(64)), "32Mi", POOL)).create();
    client.resource(Guests.guest(NS, "waiting", hello, "32Mi", Map.of("pool", "nowhere"))).create();
    Unikernel healthy = awaitPhase(client, NS, "healthy", UnikernelPhase.Running, TIMEOUT);
    Unikernel broken = awaitPhase(client, NS, "broken", UnikernelPhase.Failed, TIMEOUT);
    Unikernel waiting = awaitPhase(client, NS, "waiting", UnikernelPhase.Pending, TIMEOUT);

    assertThat(argoHealth(healthy)).startsWith("Healthy\t");
    assertThat(argoHealth(broken)).startsWith("Degraded\tImageDigestMismatch: image");
    assertThat(argoHealth(waiting)).startsWith("Progressing\tUnschedulable: 0/");

    assertThat(isTrue(healthy, ConditionType.Reconciling) || isTrue(healthy, ConditionType.Stalled)).isFalse();
    assertThat(isTrue(broken, ConditionType.Stalled)).isTrue();
    assertThat(isTrue(waiting, ConditionType.Reconciling)).isTrue();
    assertThat(List.of(healthy, broken, waiting)).allSatisfy(g ->
        assertThat(g.getStatus().getObservedGeneration()).isEqualTo(g.getMetadata().getGeneration()));
  }

  @Test
  void deploymentAndNodeHealth() throws Exception {
    String manifest = env.repository().example("deployment.yaml", hello)
        .replace("memory: 32Mi", "memory: 32Mi\n      nodeSelector:\n        pool: gitops");
    var applied = env.cluster().kubectl(manifest, "apply", "-n", NS, "-f", "-");
    assertThat(applied.exitCode()).as(applied.output()).isZero();
    await().atMost(TIMEOUT).until(() -> argoHealth(deployment("hello")).startsWith("Healthy"));
    assertThat(argoHealth(deployment("hello"))).isEqualTo("Healthy\t3 of 3 guests available");

    // Defaults the API server filled in are no drift: kubectl diff (what GitOps tools compute) is empty.
    var diff = env.cluster().kubectl(manifest, "diff", "-n", NS, "-f", "-");
    assertThat(diff.exitCode()).as(diff.output()).isZero();
    assertThat(diff.stdout()).isEmpty();

    UnikernelDeployment stuck = deployment("hello");
    stuck.getSpec().getTemplate().getSpec().setImage(new ImageSource(hello.getUrl(), "d".repeat(64)));
    stuck.getSpec().setProgressDeadlineSeconds(3);
    client.resource(stuck).update();
    await().atMost(TIMEOUT).until(() -> argoHealth(deployment("hello")).startsWith("Degraded"));
    assertThat(argoHealth(deployment("hello"))).contains("no progress for 3 s", "old guests kept running",
        "ImageDigestMismatch");

    XenNode node = client.resources(XenNode.class).withName("gitops-node").get();
    assertThat(argoHealth(node)).startsWith("Healthy\txen-agent");
  }

  @Test
  void anAppliedUnikernelShowsNoDriftAfterBindingAndDefaults() throws Exception {
    String manifest = env.repository().example("hello.yaml", hello)
        .replace("restartPolicy: Always", "restartPolicy: Always\n  nodeSelector:\n    pool: gitops")
        .replace("name: hello", "name: synced");
    assertThat(env.cluster().kubectl(manifest, "apply", "-n", NS, "-f", "-").exitCode()).isZero();
    awaitPhase(client, NS, "synced", UnikernelPhase.Running, TIMEOUT);
    var diff = env.cluster().kubectl(manifest, "diff", "-n", NS, "-f", "-");
    assertThat(diff.exitCode()).as(diff.output()).isZero();
  }

  private static UnikernelDeployment deployment(String name) {
    return client.resources(UnikernelDeployment.class).inNamespace(NS).withName(name).get();
  }
}
