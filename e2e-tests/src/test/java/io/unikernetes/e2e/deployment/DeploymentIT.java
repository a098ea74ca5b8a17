package io.unikernetes.e2e.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.agent.UnikernetesAgent;
import io.unikernetes.api.v1alpha1.ApiGroup;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.UnikernelDeployment;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.spec.RolloutStrategy;
import io.unikernetes.api.v1alpha1.spec.ScaleToZero;
import io.unikernetes.api.v1alpha1.status.Condition;
import io.unikernetes.api.v1alpha1.status.ConditionStatus;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.e2e.support.HelloImage;
import io.unikernetes.e2e.support.TestEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** UnikernelDeployments on the real API server with agents on libvirt's test driver. */
class DeploymentIT {

  private static final String NS = "deployments";
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Map<String, String> POOL = Map.of("pool", "deployment-it");
  private static TestEnvironment env;
  private static KubernetesClient client;
  private static ImageSource hello;
  private static final List<UnikernetesAgent> agents = new ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    env = TestEnvironment.get();
    client = env.client();
    env.createNamespace(NS);
    hello = HelloImage.get();
    for (String node : List.of("deploy-a", "deploy-b", "deploy-c")) {
      agents.add(env.startAgent(node, "test:///default", 40, POOL));
    }
  }

  @AfterAll
  static void tearDown() {
    client.resources(UnikernelDeployment.class).inNamespace(NS).delete();
    await().atMost(TIMEOUT).until(() -> client.resources(Unikernel.class).inNamespace(NS).list().getItems().isEmpty());
    for (int i = 0; i < agents.size(); i++) {
      env.stopAgent(agents.get(i), List.of("deploy-a", "deploy-b", "deploy-c").get(i));
    }
  }

  private static UnikernelDeployment deployment(String name, int replicas, String cmdline, int surge, int unavailable) {
    UnikernelDeployment deployment = Guests.deployment(NS, name, replicas, hello, "32Mi", POOL);
    deployment.getSpec().getTemplate().getSpec().setCmdline(cmdline);
    RolloutStrategy.RollingUpdate rolling = new RolloutStrategy.RollingUpdate();
    rolling.setMaxSurge(new IntOrString(surge));
    rolling.setMaxUnavailable(new IntOrString(unavailable));
    RolloutStrategy strategy = new RolloutStrategy();
    strategy.setRollingUpdate(rolling);
    deployment.getSpec().setStrategy(strategy);
    return deployment;
  }

  private static List<Unikernel> guestsOf(String app) {
    return client.resources(Unikernel.class).inNamespace(NS).withLabel("app", app).list().getItems().stream()
        .filter(g -> g.getMetadata().getDeletionTimestamp() == null).toList();
  }

  private static long running(List<Unikernel> guests) {
    return guests.stream().filter(g -> g.getStatus() != null && g.getStatus().getPhase() == UnikernelPhase.Running)
        .count();
  }

  private static UnikernelDeployment get(String name) {
    return client.resources(UnikernelDeployment.class).inNamespace(NS).withName(name).get();
  }

  private static void awaitSettled(String name, int replicas) {
    try {
      awaitSettledOrFail(name, replicas);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      System.out.println("DEBUG deployment " + name + ": " + get(name).getStatus().getConditions().stream()
          .map(c -> c.getType() + "=" + c.getStatus() + " " + c.getMessage()).toList());
      guestsOf(name).forEach(g -> System.out.println("DEBUG guest " + g.getMetadata().getName() + " node="
          + g.getSpec().getNodeName() + " phase=" + (g.getStatus() == null ? null : g.getStatus().getPhase())
          + " conditions=" + (g.getStatus() == null ? null : g.getStatus().getConditions().stream()
          .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason() + " " + c.getMessage()).toList())));
      throw e;
    }
  }

  private static void awaitSettledOrFail(String name, int replicas) {
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
      UnikernelDeployment d = get(name);
      return d.getStatus() != null && Integer.valueOf(replicas).equals(d.getStatus().getAvailableReplicas())
          && Integer.valueOf(replicas).equals(d.getStatus().getReplicas())
          && Integer.valueOf(replicas).equals(d.getStatus().getUpdatedReplicas())
          && d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration());
    });
  }

  @Test
  void scalesFromZeroToFiftyToFiveWithKubectlScale() throws Exception {
    client.resource(deployment("scaled", 0, "scaled", 5, 5)).create();
    awaitSettled("scaled", 0);
    var up = env.cluster().kubectl(null, "scale", "-n", NS, "unikerneldeployment/scaled", "--replicas=50");
    assertThat(up.exitCode()).as(up.output()).isZero();
    awaitSettled("scaled", 50);
    assertThat(running(guestsOf("scaled"))).isEqualTo(50);
    assertThat(guestsOf("scaled")).allSatisfy(g -> {
      assertThat(g.getMetadata().getName()).startsWith("scaled-" + get("scaled").getStatus().getCurrentRevision() + "-");
      assertThat(g.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(o -> assertThat(o.getController()).isTrue());
    });
    var down = env.cluster().kubectl(null, "scale", "-n", NS, "unikerneldeployment/scaled", "--replicas=5");
    assertThat(down.exitCode()).as(down.output()).isZero();
    awaitSettled("scaled", 5);
    await().atMost(TIMEOUT).until(() -> guestsOf("scaled").size() == 5);

    var scale = env.cluster().kubectl(null, "get", "--raw",
        "/apis/unikernetes.io/v1alpha1/namespaces/" + NS + "/unikerneldeployments/scaled/scale");
    assertThat(scale.stdout()).contains("\"replicas\":5").contains("\"selector\":\"app=scaled\"");
    var table = env.cluster().kubectl(null, "get", "ukd", "-n", NS, "scaled");
    // READY DESIRED UP-TO-DATE AVAILABLE AGE, as kubectl shows Deployments.
    assertThat(table.stdout()).containsPattern("NAME\\s+READY\\s+DESIRED\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE\n")
        .containsPattern("scaled\\s+5\\s+5\\s+5\\s+5\\s+\\S+\n");
    UnikernelDeployment settled = get("scaled");
    assertThat(Conditions.find(settled.getStatus().getConditions(), ConditionType.Available).orElseThrow().getStatus())
        .isEqualTo(ConditionStatus.True);
    assertThat(Conditions.find(settled.getStatus().getConditions(), ConditionType.Progressing).orElseThrow().getReason())
        .isEqualTo("NewRevisionAvailable");
  }

  @Test
  void aTemplateChangeRollsWithinTheSurgeAndUnavailabilityBounds() throws Exception {
    client.resource(deployment("rolling", 6, "v1", 1, 1)).create();
    awaitSettled("rolling", 6);
    String v1 = get("rolling").getStatus().getCurrentRevision();

    List<String> violations = new CopyOnWriteArrayList<>();
    AtomicBoolean watching = new AtomicBoolean(true);
    int[] samples = {0};
    Thread sampler = new Thread(() -> {
      while (watching.get()) {
        List<Unikernel> guests = guestsOf("rolling");
        long live = guests.stream().filter(g -> g.getStatus() == null || g.getStatus().getPhase() == null
            || !g.getStatus().getPhase().isTerminal()).count();
        long ready = running(guests);
        if (live > 7) {
          violations.add("guests " + live + " > replicas + maxSurge (7)");
        }
        if (ready < 5) {
          violations.add("running " + ready + " < replicas - maxUnavailable (5)");
        }
        samples[0]++;
      }
    });
    sampler.start();
    UnikernelDeployment d = get("rolling");
    d.getSpec().getTemplate().getSpec().setCmdline("v2");
    client.resource(d).update();
    await().atMost(TIMEOUT).until(() -> !v1.equals(get("rolling").getStatus().getCurrentRevision()));
    awaitSettled("rolling", 6);
    await().atMost(TIMEOUT).until(() -> guestsOf("rolling").size() == 6);
    watching.set(false);
    sampler.join();

    String v2 = get("rolling").getStatus().getCurrentRevision();
    assertThat(samples[0]).isGreaterThan(5);
    assertThat(violations).isEmpty();
    assertThat(guestsOf("rolling")).allSatisfy(g -> {
      assertThat(g.getMetadata().getLabels()).containsEntry(ApiGroup.TEMPLATE_HASH_LABEL, v2);
      assertThat(g.getSpec().getCmdline()).isEqualTo("v2");
    });
  }

  @Test
  void aRolloutWhoseGuestsNeverBecomeReadyStopsAndSaysSo() throws Exception {
    UnikernelDeployment stuck = deployment("stuck", 3, "good", 1, 0);
    stuck.getSpec().setProgressDeadlineSeconds(5);
    client.resource(stuck).create();
    awaitSettled("stuck", 3);
    List<String> good = guestsOf("stuck").stream().map(g -> g.getMetadata().getName()).toList();

    UnikernelDeployment d = get("stuck");
    d.getSpec().getTemplate().getSpec().setImage(new ImageSource(hello.getUrl(), "f".repeat(64)));
    client.resource(d).update();
    // The deadline (5 s) may pass before the agent has reported why the new guest cannot run: wait for both.
    await().atMost(TIMEOUT).until(() -> Conditions.find(get("stuck").getStatus().getConditions(),
        ConditionType.Progressing).map(c -> "ProgressDeadlineExceeded".equals(c.getReason())
            && c.getMessage().contains("ImageDigestMismatch")).orElse(false));

    UnikernelDeployment reported = get("stuck");
    Condition progressing = Conditions.find(reported.getStatus().getConditions(), ConditionType.Progressing)
        .orElseThrow();
    assertThat(progressing.getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(progressing.getMessage()).contains("old guests kept running").contains("ImageDigestMismatch");
    assertThat(Conditions.isTrue(reported.getStatus().getConditions(), ConditionType.Stalled)).isTrue();
    assertThat(Conditions.isTrue(reported.getStatus().getConditions(), ConditionType.Available)).isTrue();
    List<Unikernel> guests = guestsOf("stuck");
    assertThat(guests.stream().filter(g -> good.contains(g.getMetadata().getName()))
        .filter(g -> g.getStatus().getPhase() == UnikernelPhase.Running)).hasSize(3);
    assertThat(guests).hasSize(4); // three old ones plus the one surge guest that failed, kept as evidence
  }

  @Test
  void aHorizontalPodAutoscalerCanTargetADeployment() throws Exception {
    client.resource(deployment("autoscaled", 1, "autoscaled", 1, 1)).create();
    awaitSettled("autoscaled", 1);
    String hpa = """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: autoscaled
          namespace: %s
        spec:
          scaleTargetRef:
            apiVersion: unikernetes.io/v1alpha1
            kind: UnikernelDeployment
            name: autoscaled
          minReplicas: 2
          maxReplicas: 4
          metrics:
          - type: Resource
            resource:
              name: cpu
              target:
                type: Utilization
                averageUtilization: 80
        """.formatted(NS);
    assertThat(env.cluster().kubectl(hpa, "apply", "-f", "-").exitCode()).isZero();
    // kube-controller-manager's HPA controller reads /scale (replicas and selector) and lifts the deployment to
    // minReplicas; it cannot compute CPU utilization (no metrics server), which it reports, but it can scale.
    awaitSettled("autoscaled", 2);
    var described = env.cluster().kubectl(null, "get", "hpa", "autoscaled", "-n", NS, "-o",
        "jsonpath={.status.conditions[?(@.type==\"AbleToScale\")].status}");
    assertThat(described.stdout()).isEqualTo("True");
    env.cluster().kubectl(null, "delete", "hpa", "autoscaled", "-n", NS);
  }

  @Test
  void deletingTheDeploymentDeletesItsGuests() throws Exception {
    client.resource(deployment("doomed", 3, "doomed", 1, 1)).create();
    awaitSettled("doomed", 3);
    client.resources(UnikernelDeployment.class).inNamespace(NS).withName("doomed").delete();
    await().atMost(TIMEOUT).until(() -> guestsOf("doomed").isEmpty());
  }

  @Test
  void turningScaleToZeroOnAnnotatesTheGuestsItAlreadyHas() {
    // In a pool no node carries: the guests stay Pending, which is enough for their metadata.
    client.resource(Guests.deployment(NS, "dozing", 2, hello, "32Mi", Map.of("pool", "deployment-it-nowhere")))
        .create();
    await().atMost(TIMEOUT).until(() -> guestsOf("dozing").size() == 2);
    List<String> uids = guestsOf("dozing").stream().map(g -> g.getMetadata().getUid()).toList();
    assertThat(guestsOf("dozing")).allSatisfy(g -> assertThat(g.getMetadata().getAnnotations())
        .doesNotContainKey(ApiGroup.ACTIVITY_REPORT_ANNOTATION));
    client.resources(UnikernelDeployment.class).inNamespace(NS).withName("dozing")
        .edit(d -> {
          d.getSpec().setScaleToZero(new ScaleToZero(3600, 30));
          return d;
        });
    // The same guests, patched (scaleToZero is no part of the template: nothing rolls).
    await().atMost(TIMEOUT).until(() -> guestsOf("dozing").stream().allMatch(g -> g.getMetadata().getAnnotations()
        != null && g.getMetadata().getAnnotations().containsKey(ApiGroup.ACTIVITY_REPORT_ANNOTATION)));
    assertThat(guestsOf("dozing")).extracting(g -> g.getMetadata().getUid()).containsExactlyInAnyOrderElementsOf(uids);
    client.resources(UnikernelDeployment.class).inNamespace(NS).withName("dozing").delete();
  }
}
