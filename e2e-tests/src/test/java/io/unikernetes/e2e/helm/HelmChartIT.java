package io.unikernetes.e2e.helm;

import java.util.OptionalInt;
import java.util.Optional;
import io.unikernetes.api.v1alpha1.status.AllocatedResources;
import io.unikernetes.api.v1alpha1.spec.CpuAmount;
import static io.unikernetes.e2e.support.Guests.awaitPhase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.unikernetes.agent.UnikernetesAgent;
import io.unikernetes.agent.config.AgentConfig;
import io.unikernetes.agent.network.GuestNetworkConfig;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.UnikernelConsole;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.local.controlplane.ControlPlaneBinaries;
import io.unikernetes.e2e.controlplane.HelmBinary;
import io.unikernetes.local.controlplane.LocalControlPlane;
import io.unikernetes.local.process.AgentProcess;
import io.unikernetes.local.process.CommandResult;
import io.unikernetes.e2e.support.HelloImage;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.local.repository.Repository;
import io.unikernetes.operator.UnikernetesOperator;
import io.unikernetes.operator.config.OperatorConfig;
import io.unikernetes.operator.scheduler.SchedulingPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The chart with the real Helm on its own real control plane: lint, schema errors, install, the operator
 * and an agent running with exactly the chart's ServiceAccount permissions (impersonated; an external agent
 * with the chart's token), upgrade without losing guests, uninstall leaving CRDs and guests.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelmChartIT {

  private static final String RELEASE = "uk";
  private static final String NS = "unikernetes-system";
  private static final String GUESTS = "helm-guests";
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private static Repository repo;
  private static LocalControlPlane cluster;
  private static KubernetesClient admin;
  private static Path helm;
  private static Path chart;
  private static Path work;
  private static ImageSource hello;
  private static final List<AutoCloseable> running = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    repo = Repository.locate();
    work = Files.createTempDirectory("unikernetes-helm");
    cluster = LocalControlPlane.start(ControlPlaneBinaries.locate(repo.root()), work.resolve("control-plane"));
    admin = cluster.newClient();
    helm = HelmBinary.locate(repo.root());
    chart = repo.root().resolve("helm/unikernetes");
    hello = HelloImage.get();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
    admin.close();
    cluster.close();
  }

  private static CommandResult helm(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(helm.toString(), "--kubeconfig", cluster.kubeconfig().toString()));
    command.addAll(List.of(args));
    return CommandResult.run(command, Map.of("HELM_CACHE_HOME", work.resolve("helm-cache").toString(),
        "HELM_CONFIG_HOME", work.resolve("helm-config").toString(),
        "HELM_DATA_HOME", work.resolve("helm-data").toString()), null);
  }

  /**
   * A client that acts as the chart's agent ServiceAccount in a DaemonSet pod on {@code node}: the pod-bound
   * token's node name is impersonated as the API server would put it in the request's user info.
   */
  private static KubernetesClient agentOn(String node) {
    Config config = new ConfigBuilder(admin.getConfiguration())
        .withImpersonateUsername("system:serviceaccount:" + NS + ":uk-unikernetes-xen-agent")
        .withImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + NS, "system:authenticated")
        // Header names cannot hold '/': the API server takes extra keys percent-encoded.
        .withImpersonateExtras(Map.of("authentication.kubernetes.io%2fnode-name", List.of(node)))
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** A client that acts as the chart's ServiceAccount, through impersonation by the admin. */
  private static KubernetesClient clientAs(String serviceAccount) {
    Config config = new ConfigBuilder(admin.getConfiguration())
        .withImpersonateUsername("system:serviceaccount:" + NS + ":" + serviceAccount)
        .withImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + NS, "system:authenticated")
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** {@code resource} may name a subresource as "resource/subresource". */
  private static boolean can(String serviceAccount, String verb, String resource, String namespace) throws Exception {
    String[] parts = resource.split("/", 2);
    List<String> args = new ArrayList<>(List.of("auth", "can-i", verb, parts[0], "-n", namespace,
        "--as=system:serviceaccount:" + NS + ":" + serviceAccount));
    if (parts.length == 2) {
      args.add("--subresource=" + parts[1]);
    }
    var result = cluster.kubectl(null, args.toArray(String[]::new));
    return result.stdout().trim().equals("yes");
  }

  @Test
  @Order(1)
  void theChartLints() throws Exception {
    var lint = helm("lint", chart.toString());
    assertThat(lint.exitCode()).as(lint.output()).isZero();
    var external = helm("lint", chart.toString(), "--set", "agent.mode=external", "--set", "serviceMonitor.enabled=true");
    assertThat(external.exitCode()).as(external.output()).isZero();
  }

  @Test
  @Order(2)
  void valuesThatViolateTheSchemaFailWithItsMessage() throws Exception {
    var replicas = helm("install", "bad", chart.toString(), "-n", "bad", "--create-namespace", "--dry-run=server",
        "--set", "operator.replicas=-1");
    assertThat(replicas.exitCode()).isNotZero();
    assertThat(replicas.stderr()).contains("values don't meet the specifications of the schema")
        .contains("/operator/replicas").contains("minimum: got -1, want 0");
    var mode = helm("install", "bad", chart.toString(), "-n", "bad", "--dry-run=server", "--set", "agent.mode=sidecar");
    assertThat(mode.stderr()).contains("/agent/mode").contains("value must be one of 'daemonset', 'external', 'disabled'");
    var uri = helm("install", "bad", chart.toString(), "-n", "bad", "--dry-run=server",
        "--set", "agent.libvirtUri=vbox:///session");
    assertThat(uri.stderr()).contains("/agent/libvirtUri");
    var unknown = helm("install", "bad", chart.toString(), "-n", "bad", "--dry-run=server", "--set", "operator.replica=2");
    assertThat(unknown.stderr()).contains("additional properties 'replica' not allowed");
  }

  @Test
  @Order(3)
  void installWithDefaultValues() throws Exception {
    var install = helm("install", RELEASE, chart.toString(), "-n", NS, "--create-namespace");
    assertThat(install.exitCode()).as(install.output()).isZero();
    assertThat(install.stdout()).contains("kubectl label node <node> unikernetes.io/xen-dom0=true");
    assertThat(admin.apiextensions().v1().customResourceDefinitions().withName("unikernels.unikernetes.io").get())
        .isNotNull();
    assertThat(admin.apps().deployments().inNamespace(NS).withName("uk-unikernetes-operator").get().getSpec()
        .getReplicas()).isEqualTo(1);
    // No guest bridge by default: nothing to note, so the agent keeps the pod network and no capability.
    var agentPod = admin.apps().daemonSets().inNamespace(NS).withName("uk-unikernetes-xen-agent").get().getSpec()
        .getTemplate().getSpec();
    assertThat(agentPod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(agentPod.getContainers().get(0).getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    // With one, noting its traffic for scale to zero: nftables in the host's network, NET_ADMIN and no more.
    var noted = helm("template", RELEASE, chart.toString(), "-n", NS, "--kube-version", "1.34.3",
        "--show-only", "templates/agent-daemonset.yaml", "--set", "agent.guestBridge=ukbr0");
    assertThat(noted.exitCode()).as(noted.output()).isZero();
    assertThat(noted.stdout()).contains("hostNetwork: true").contains("add: [\"NET_ADMIN\"]")
        .contains("drop: [\"ALL\"]")
        .contains("name: UNIKERNETES_GUEST_TRAFFIC_NOTING\n              value: \"true\"");
    var unnoted = helm("template", RELEASE, chart.toString(), "-n", NS, "--kube-version", "1.34.3",
        "--show-only", "templates/agent-daemonset.yaml", "--set", "agent.guestBridge=ukbr0",
        "--set", "agent.noteGuestTraffic=false");
    assertThat(unnoted.exitCode()).as(unnoted.output()).isZero();
    assertThat(unnoted.stdout()).doesNotContain("hostNetwork:").doesNotContain("add: [\"NET_ADMIN\"]")
        .contains("name: UNIKERNETES_GUEST_TRAFFIC_NOTING\n              value: \"false\"");

    // The operator's pod template passes the restricted Pod Security Standard.
    cluster.kubectl(null, "create", "namespace", "restricted");
    cluster.kubectl(null, "label", "namespace", "restricted", "pod-security.kubernetes.io/enforce=restricted",
        "pod-security.kubernetes.io/warn=restricted");
    var rendered = helm("template", RELEASE, chart.toString(), "-n", "restricted", "--kube-version", "1.34.3",
        "--show-only", "templates/operator-deployment.yaml");
    var dryRun = cluster.kubectl(rendered.stdout(), "apply", "-n", "restricted", "--dry-run=server", "-f", "-");
    assertThat(dryRun.exitCode()).as(dryRun.output()).isZero();
    assertThat(dryRun.stderr()).doesNotContain("PodSecurity");
  }

  @Test
  @Order(4)
  void theChartGrantsWhatEachComponentNeedsAndNoMore() throws Exception {
    String operator = "uk-unikernetes-operator";
    String agent = "uk-unikernetes-xen-agent";
    assertThat(can(operator, "update", "unikernels.unikernetes.io", GUESTS)).isTrue();
    assertThat(can(operator, "update", "unikernels.unikernetes.io/status", GUESTS)).isTrue();
    assertThat(can(operator, "update", "leases.coordination.k8s.io", NS)).isTrue();
    assertThat(can(operator, "update", "leases.coordination.k8s.io", "default")).isFalse();
    assertThat(can(operator, "delete", "unikernels.unikernetes.io", GUESTS)).isTrue(); // deployments scale down
    assertThat(can(operator, "update", "unikerneldeployments.unikernetes.io", GUESTS)).isFalse();
    assertThat(can(operator, "update", "unikerneldeployments.unikernetes.io/status", GUESTS)).isTrue();
    assertThat(can(operator, "update", "xennodes.unikernetes.io", "")).isFalse();
    assertThat(can(operator, "patch", "xennodes.unikernetes.io", "")).isTrue(); // guest subnets
    assertThat(can(operator, "create", "endpointslices.discovery.k8s.io", GUESTS)).isTrue();
    assertThat(can(operator, "update", "services", GUESTS)).isFalse();
    assertThat(can(operator, "get", "secrets", NS)).isFalse();
    assertThat(can(operator, "update", "xennodes.unikernetes.io/status", "")).isTrue(); // heartbeat expiry
    assertThat(can(operator, "watch", "leases.coordination.k8s.io", NS)).isTrue();
    assertThat(can(agent, "update", "leases.coordination.k8s.io", NS)).isTrue();
    assertThat(can(agent, "update", "leases.coordination.k8s.io", "default")).isFalse();
    assertThat(can(agent, "create", "xennodes.unikernetes.io", "")).isTrue();
    assertThat(can(agent, "update", "xennodes.unikernetes.io/status", "")).isTrue();
    assertThat(can(agent, "update", "unikernels.unikernetes.io/status", GUESTS)).isTrue();
    assertThat(can(agent, "delete", "xennodes.unikernetes.io", "")).isFalse();
    assertThat(can(agent, "delete", "unikernels.unikernetes.io", GUESTS)).isFalse();
    assertThat(can(agent, "get", "secrets", NS)).isFalse();
    assertThat(can(agent, "create", "unikernelconsoles.unikernetes.io", GUESTS)).isTrue();
    assertThat(can(agent, "patch", "unikernelconsoles.unikernetes.io/status", GUESTS)).isTrue();
    assertThat(can(agent, "update", "unikernelconsoles.unikernetes.io", GUESTS)).isFalse();
  }

  @Test
  @Order(5)
  void operatorAndAgentCompleteTheFlowWithTheChartsPermissions() throws Exception {
    KubernetesClient operatorClient = clientAs("uk-unikernetes-operator");
    KubernetesClient agentClient = agentOn("helm-node");
    running.add(operatorClient);
    running.add(agentClient);
    running.add(UnikernetesOperator.start(new OperatorConfig(true, NS, "unikernetes-operator", "helm-test",
        "127.0.0.1", 0, NS, Duration.ofSeconds(60), SchedulingPolicy.dense, OperatorConfig.DEFAULT_GUEST_SUBNETS,
        "uk-unikernetes-xen-agent"), operatorClient, UnikernetesOperator.OnLostLeadership.STOP_CONTROLLERS));
    running.add(UnikernetesAgent.start(new AgentConfig("helm-node", "test:///default", work.resolve("agent"),
        Path.of("/var/log/xen/console"), MemorySize.parse("256Mi"), CpuAmount.ZERO, Optional.empty(),
        CpuAmount.ZERO, OptionalInt.of(16), AgentConfig.DEFAULT_LIBVIRT_PARALLELISM, Map.of("pool", "helm"), "127.0.0.1", 0,
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(5), NS, Duration.ofSeconds(10), GuestNetworkConfig.NONE, AgentConfig.DEFAULT_CONSOLE_RETAINED_BYTES, AgentConfig.DEFAULT_CONSOLE_WRITES_PER_SECOND), agentClient));

    admin.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName(GUESTS).endMetadata().build()).create();
    admin.resource(Guests.guest(GUESTS, "charted", hello, "32Mi", Map.of("pool", "helm"))).create();
    Unikernel charted = awaitPhase(admin, GUESTS, "charted", UnikernelPhase.Running, TIMEOUT);
    // Each component's own status writes: the scheduler's condition, the agent's phase and domain.
    assertThat(Conditions.find(charted.getStatus().getConditions(), ConditionType.Scheduled).orElseThrow().getReason())
        .isEqualTo("Bound");
    assertThat(charted.getStatus().getDomainUUID()).isNotBlank();
    // The chart's agent role may patch status.allocated: the node shows its guest (test driver: no overhead).
    await().atMost(TIMEOUT).until(() -> new AllocatedResources("1m", "32Mi", 1)
        .equals(admin.resources(XenNode.class).withName("helm-node").get().getStatus().getAllocated()));
    admin.resource(Guests.guest(GUESTS, "too-big", hello, "100Gi", Map.of("pool", "helm"))).create();
    await().atMost(TIMEOUT).until(() -> Guests.get(admin, GUESTS, "too-big").getStatus() != null
        && Conditions.find(Guests.get(admin, GUESTS, "too-big").getStatus().getConditions(), ConditionType.Scheduled)
            .map(c -> "Unschedulable".equals(c.getReason())).orElse(false));
    admin.resource(Guests.guest(GUESTS, "short-lived", hello, "32Mi", Map.of("pool", "helm"))).create();
    awaitPhase(admin, GUESTS, "short-lived", UnikernelPhase.Running, TIMEOUT);
    admin.resources(Unikernel.class).inNamespace(GUESTS).withName("short-lived").delete();
    await().atMost(TIMEOUT).until(() -> Guests.get(admin, GUESTS, "short-lived") == null);
    assertThat(admin.v1().events().inNamespace(GUESTS).list().getItems())
        .anyMatch(e -> "Bound".equals(e.getReason()))
        .anyMatch(e -> "Running".equals(e.getReason()));
    assertThat(admin.leases().inNamespace(NS).withName("unikernetes-operator").get().getSpec().getHolderIdentity())
        .isEqualTo("helm-test");

    // Image pull Secrets: with the chart's permissions the operator lets the agents read exactly the Secrets
    // guests name, without reading them itself, and takes the grant back once no guest names them.
    for (String name : List.of("regcred", "unrelated")) {
      admin.resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName(name)
          .withNamespace(GUESTS).endMetadata().withType("kubernetes.io/dockerconfigjson")
          .withStringData(Map.of(".dockerconfigjson", "{\"auths\":{}}")).build()).create();
    }
    Unikernel pulling = Guests.guest(GUESTS, "pulling", ImageSource.oci("127.0.0.1:1/team/app@sha256:"
        + "0".repeat(64)), "32Mi", Map.of("pool", "nowhere"));
    pulling.getSpec().setImagePullSecrets(List.of(new io.fabric8.kubernetes.api.model.LocalObjectReference("regcred")));
    admin.resource(pulling).create();
    String agent = "uk-unikernetes-xen-agent";
    await().atMost(TIMEOUT).until(() -> canGetSecret(agent, "regcred"));
    assertThat(canGetSecret(agent, "unrelated")).isFalse();
    assertThat(can(agent, "list", "secrets", GUESTS)).isFalse();
    assertThat(canGetSecret("uk-unikernetes-operator", "regcred")).isFalse();
    admin.resources(Unikernel.class).inNamespace(GUESTS).withName("pulling").delete();
    await().atMost(TIMEOUT).until(() -> !canGetSecret(agent, "regcred"));
  }

  private static boolean canGetSecret(String serviceAccount, String secret) throws Exception {
    var result = cluster.kubectl(null, "auth", "can-i", "get", "secret/" + secret, "-n", GUESTS,
        "--as=system:serviceaccount:" + NS + ":" + serviceAccount);
    return result.stdout().trim().equals("yes");
  }

  @Test
  @Order(7)
  void upgradeChangesAValueWithoutLosingGuests() throws Exception {
    Unikernel before = Guests.get(admin, GUESTS, "charted");
    var upgrade = helm("upgrade", RELEASE, chart.toString(), "-n", NS, "--set", "operator.replicas=2",
        "--set", "agent.maxGuests=100");
    assertThat(upgrade.exitCode()).as(upgrade.output()).isZero();
    assertThat(admin.apps().deployments().inNamespace(NS).withName("uk-unikernetes-operator").get().getSpec()
        .getReplicas()).isEqualTo(2);
    assertThat(admin.apps().daemonSets().inNamespace(NS).withName("uk-unikernetes-xen-agent").get().getSpec()
        .getTemplate().getSpec().getContainers().get(0).getEnv())
        .anyMatch(e -> e.getName().equals("UNIKERNETES_MAX_GUESTS") && e.getValue().equals("100"));
    Thread.sleep(2000);
    Unikernel after = Guests.get(admin, GUESTS, "charted");
    assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
    assertThat(after.getStatus().getPhase()).isEqualTo(UnikernelPhase.Running);
    assertThat(after.getStatus().getDomainUUID()).isEqualTo(before.getStatus().getDomainUUID());
  }

  @Test
  @Order(8)
  void externalAgentsGetAServiceAccountAndTokenButNoDaemonSet() throws Exception {
    String ns = "unikernetes-external";
    var install = helm("install", "ext", chart.toString(), "-n", ns, "--create-namespace",
        "--set", "agent.mode=external", "--set", "operator.enabled=false");
    assertThat(install.exitCode()).as(install.output()).isZero();
    assertThat(install.stdout()).contains("make-agent-kubeconfig.sh " + ns + " ext-unikernetes-xen-agent <node-name>");
    assertThat(admin.apps().daemonSets().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(admin.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();

    var kubeconfig = CommandResult.run(List.of("bash", repo.root().resolve("deploy/systemd/make-agent-kubeconfig.sh")
            .toString(), ns, "ext-unikernetes-xen-agent", "external-node"),
        Map.of("KUBECONFIG", cluster.kubeconfig().toString(), "PATH", cluster.kubectlBinary().getParent() + ":"
            + System.getenv("PATH")), null);
    assertThat(kubeconfig.exitCode()).as(kubeconfig.output()).isZero();
    assertThat(kubeconfig.stdout()).contains("certificate-authority-data:");
    Path agentKubeconfig = work.resolve("external-agent.kubeconfig");
    Files.writeString(agentKubeconfig, kubeconfig.stdout());

    Path log = work.resolve("external-agent.log");
    running.add(AgentProcess.start(repo, agentKubeconfig, "external-node", "test:///default",
        work.resolve("external-agent"), "pool=external", ns, log));
    await().atMost(TIMEOUT).until(() -> admin.resources(XenNode.class).withName("external-node").get() != null);
    admin.resource(Guests.guest(GUESTS, "remote", hello, "32Mi", Map.of("pool", "external"))).create();
    Unikernel remote = awaitPhase(admin, GUESTS, "remote", UnikernelPhase.Running, TIMEOUT);
    assertThat(remote.getSpec().getNodeName()).isEqualTo("external-node");

    // The host's own credential cannot touch another host's XenNode.
    String token = kubeconfig.stdout().lines().map(String::trim).filter(l -> l.startsWith("token:"))
        .map(l -> l.substring("token:".length()).trim()).findFirst().orElseThrow();
    try (KubernetesClient host = new KubernetesClientBuilder().withConfig(new ConfigBuilder(admin.getConfiguration())
        .withOauthToken(token).withUsername(null).withPassword(null).build()).build()) {
      XenNode other = admin.resources(XenNode.class).withName("helm-node").get();
      assertThatThrownBy(() -> host.resource(other).updateStatus())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("the agent of external-node may write only XenNode external-node, not helm-node");
    }
  }

  @Test
  @Order(6)
  void eachAgentWritesOnlyItsOwnNodesObjects() throws Exception {
    XenNode mine = admin.resources(XenNode.class).withName("helm-node").get();
    admin.resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(GUESTS)
        .endMetadata().build()).serverSideApply();
    Unikernel elsewhere = Guests.guest(GUESTS, "elsewhere", hello, "32Mi", Map.of("pool", "nowhere"));
    elsewhere.getSpec().setNodeName("helm-other");
    elsewhere = admin.resource(elsewhere).create();
    try (KubernetesClient intruder = agentOn("helm-other"); KubernetesClient anonymous =
        clientAs("uk-unikernetes-xen-agent")) {
      // another node's agent: its own objects only
      assertThatThrownBy(() -> intruder.resource(mine).updateStatus())
          .hasMessageContaining("the agent of helm-other may write only XenNode helm-other, not helm-node");
      var lease = intruder.leases().inNamespace(NS).withName("helm-node").get();
      lease.getSpec().setHolderIdentity("helm-other");
      assertThatThrownBy(() -> intruder.resource(lease).update())
          .hasMessageContaining("the agent of helm-other may write only the Lease helm-other, not helm-node");
      Unikernel charted = Guests.get(admin, GUESTS, "charted");
      assertThatThrownBy(() -> intruder.resource(charted).updateStatus())
          .hasMessageContaining("the agent of helm-other may write only Unikernels bound to helm-other");
      // its own guest's status is fine
      await().atMost(TIMEOUT).ignoreExceptionsInstanceOf(KubernetesClientException.class).until(() -> {
        Unikernel own = intruder.resources(Unikernel.class).inNamespace(GUESTS).withName("elsewhere").get();
        if (own.getStatus() == null) {
          own.setStatus(new io.unikernetes.api.v1alpha1.status.UnikernelStatus());
        }
        own.getStatus().setRestartCount(0);
        return intruder.resource(own).updateStatus() != null; // a conflict with the operator retries
      });
      // consoles: those of its own node's guests only (spec.nodeName)
      UnikernelConsole own = new UnikernelConsole();
      own.getMetadata().setName("elsewhere");
      own.getMetadata().setNamespace(GUESTS);
      own.getSpec().setNodeName("helm-other");
      intruder.resource(own).create();
      intruder.resources(UnikernelConsole.class).inNamespace(GUESTS).withName("elsewhere").subresource("status")
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"boots\":[{\"text\":\"hi\\n\"}]}}");
      UnikernelConsole claimed = new UnikernelConsole();
      claimed.getMetadata().setName("claimed");
      claimed.getMetadata().setNamespace(GUESTS);
      claimed.getSpec().setNodeName("helm-node");
      assertThatThrownBy(() -> intruder.resource(claimed).create())
          .hasMessageContaining("the agent of helm-other may write only the consoles of guests bound to helm-other");
      admin.resource(claimed).create();
      assertThatThrownBy(() -> intruder.resources(UnikernelConsole.class).inNamespace(GUESTS).withName("claimed")
          .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"boots\":[]}}"))
          .hasMessageContaining("may write only the consoles of guests bound to helm-other");
      assertThatThrownBy(() -> intruder.resources(UnikernelConsole.class).inNamespace(GUESTS).withName("claimed")
          .delete()).hasMessageContaining("may write only the consoles of guests bound to helm-other");
      // a credential that names no host may write nothing
      assertThatThrownBy(() -> anonymous.resource(mine).updateStatus())
          .hasMessageContaining("this agent credential names no host");
    } finally {
      admin.resource(elsewhere).withGracePeriod(0).delete();
      admin.resources(UnikernelConsole.class).inNamespace(GUESTS).delete();
    }
  }

  @Test
  @Order(9)
  void serviceMonitorsAppearWhereThePrometheusOperatorApiExists() throws Exception {
    String crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: servicemonitors.monitoring.coreos.com
        spec:
          group: monitoring.coreos.com
          names: {kind: ServiceMonitor, plural: servicemonitors, singular: servicemonitor, listKind: ServiceMonitorList}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """;
    assertThat(cluster.kubectl(crd, "apply", "-f", "-").exitCode()).isZero();
    cluster.kubectl(null, "wait", "--for=condition=Established", "crd/servicemonitors.monitoring.coreos.com");
    var install = helm("install", "mon", chart.toString(), "-n", "monitored", "--create-namespace",
        "--set", "serviceMonitor.enabled=true", "--set", "serviceMonitor.labels.release=prometheus");
    assertThat(install.exitCode()).as(install.output()).isZero();
    var monitors = cluster.kubectl(null, "get", "servicemonitors", "-n", "monitored", "-l", "release=prometheus",
        "-o", "name");
    assertThat(monitors.stdout().lines()).containsExactlyInAnyOrder(
        "servicemonitor.monitoring.coreos.com/mon-unikernetes-operator",
        "servicemonitor.monitoring.coreos.com/mon-unikernetes-xen-agent");
    assertThat(helm("uninstall", "mon", "-n", "monitored").exitCode()).isZero();
  }

  @Test
  @Order(10)
  void uninstallLeavesCrdsAndGuests() throws Exception {
    var uninstall = helm("uninstall", RELEASE, "-n", NS);
    assertThat(uninstall.exitCode()).as(uninstall.output()).isZero();
    assertThat(admin.apps().deployments().inNamespace(NS).withName("uk-unikernetes-operator").get()).isNull();
    assertThat(admin.apiextensions().v1().customResourceDefinitions().withName("unikernels.unikernetes.io").get())
        .isNotNull();
    assertThat(Guests.get(admin, GUESTS, "charted")).isNotNull();
    assertThat(Guests.phase(admin, GUESTS, "charted")).isEqualTo(UnikernelPhase.Running);
  }
}
