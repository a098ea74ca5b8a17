package io.unikernetes.e2e.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.UnikernelConsole;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.spec.RestartPolicy;
import io.unikernetes.e2e.controlplane.HelmBinary;
import io.unikernetes.local.process.AgentProcess;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.e2e.support.HelloImage;
import io.unikernetes.e2e.support.TestEnvironment;
import io.unikernetes.local.process.CommandResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kubectl unikernetes logs against real QEMU guests and the real API server: the agent (its own process)
 * publishes each guest's console, the plugin (the built executable) reads it as a user bound to Kubernetes' view
 * role, which the chart's aggregated role extends, and is refused as a user with no role. The hello guest with
 * "poweroff" prints two lines and shuts down, so under restartPolicy Always every boot is a new one.
 */
class ConsoleLogsE2E {

  private static final String NS = "console-e2e";
  private static final String NODE = "console-e2e-node";
  private static final Duration TIMEOUT = Duration.ofSeconds(180);
  private static TestEnvironment env;
  private static KubernetesClient client;
  private static ImageSource hello;
  private static AgentProcess agent;
  private static Path work;
  private static Path reader;
  private static Path stranger;

  @BeforeAll
  static void setUp() throws Exception {
    env = TestEnvironment.get();
    client = env.client();
    env.createNamespace(NS);
    hello = HelloImage.get();
    work = env.newWorkDir("console-e2e");
    agent = startAgent();
    installUserRoles();
    client.rbac().roleBindings().inNamespace(NS).resource(new RoleBindingBuilder().withNewMetadata()
        .withName("reader-view").endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "view")
        .addNewSubject().withKind("ServiceAccount").withName("reader").withNamespace(NS).endSubject().build())
        .create();
    reader = kubeconfigOf("reader", work);
    stranger = kubeconfigOf("stranger", work);
  }

  private static AgentProcess startAgent() throws Exception {
    return AgentProcess.start(env.repository(), env.cluster().kubeconfig(), NODE, "qemu:///system",
        work.resolve("agent"), "pool=console-e2e", TestEnvironment.NODE_LEASES, work.resolve("agent.log"));
  }

  /** The chart's user roles, as installed by Helm, and their aggregation into view by kube-controller-manager. */
  private static void installUserRoles() throws Exception {
    Path helm = HelmBinary.locate(env.repository().root());
    CommandResult rendered = CommandResult.run(List.of(helm.toString(), "template", "console-e2e",
        env.repository().root().resolve("helm/unikernetes").toString(), "--kube-version", "1.34.0",
        "--show-only", "templates/user-rbac.yaml"), Map.of(), null);
    assertThat(rendered.exitCode()).as(rendered.output()).isZero();
    CommandResult applied = env.cluster().kubectl(rendered.stdout(), "apply", "-f", "-");
    assertThat(applied.exitCode()).as(applied.output()).isZero();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      ClusterRole view = client.rbac().clusterRoles().withName("view").get();
      return view.getRules().stream().anyMatch(rule -> rule.getResources().contains("unikernelconsoles"));
    });
  }

  private static Path kubeconfigOf(String account, Path work) throws Exception {
    client.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata()
        .withName(account).endMetadata().build()).create();
    String token = client.serviceAccounts().inNamespace(NS).withName(account)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus().getToken();
    String admin = Files.readString(env.cluster().kubeconfig());
    String own = admin.replaceFirst("token: \\S+", "token: " + token);
    assertThat(own).isNotEqualTo(admin);
    return Files.writeString(work.resolve(account + ".kubeconfig"), own);
  }

  @AfterAll
  static void tearDown() throws Exception {
    client.resources(Unikernel.class).inNamespace(NS).delete();
    await().atMost(TIMEOUT).until(() -> client.resources(Unikernel.class).inNamespace(NS).list().getItems().isEmpty());
    agent.close();
    client.resources(XenNode.class).withName(NODE).delete();
  }

  private static Unikernel poweringOff(String name, String words) {
    Unikernel guest = Guests.guest(NS, name, hello, "32Mi", Map.of("pool", "console-e2e"));
    guest.getSpec().setCmdline(words + " poweroff");
    guest.getSpec().setRestartPolicy(RestartPolicy.Always);
    return client.resource(guest).create();
  }

  private static CommandResult plugin(Path kubeconfig, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(env.repository().kubectlPlugin().toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("-n", NS));
    return CommandResult.run(command, Map.of("KUBECONFIG", kubeconfig.toString()), null);
  }

  @Test
  void theCurrentAndThePreviousBootWithTail() throws Exception {
    poweringOff("twice", "boots");
    await().atMost(TIMEOUT).until(() -> {
      UnikernelConsole console = client.resources(UnikernelConsole.class).inNamespace(NS).withName("twice").get();
      return console != null && console.getStatus().getBoots().size() == 2
          && console.getStatus().getBoots().get(1).isEnded();
    });
    CommandResult current = plugin(reader, "logs", "twice");
    assertThat(current.exitCode()).as(current.output()).isZero();
    List<String> boot = List.of("UNIKERNEL READY cmdline=boots poweroff", "UNIKERNEL POWEROFF");
    // The third boot may have printed nothing yet: AssertJ's startsWith() refuses an empty prefix, so compare.
    List<String> shown = current.stdout().lines().toList();
    assertThat(shown).as("the current boot, however far it got").hasSizeLessThanOrEqualTo(boot.size());
    assertThat(boot.subList(0, shown.size())).as("the current boot, however far it got").isEqualTo(shown);
    CommandResult previous = plugin(reader, "logs", "twice", "--previous");
    assertThat(previous.exitCode()).as(previous.output()).isZero();
    assertThat(previous.stdout().lines().toList())
        .containsExactly("UNIKERNEL READY cmdline=boots poweroff", "UNIKERNEL POWEROFF");
    CommandResult tail = plugin(reader, "logs", "twice", "-p", "--tail=1");
    assertThat(tail.stdout().lines().toList()).containsExactly("UNIKERNEL POWEROFF");
    CommandResult recent = plugin(reader, "logs", "twice", "-p", "--since=1h");
    assertThat(recent.stdout().lines().toList()).isEqualTo(boot);
    CommandResult none = plugin(reader, "logs", "twice", "-p", "--tail=0");
    assertThat(none.exitCode()).isZero();
    assertThat(none.stdout()).isEmpty();
  }

  @Test
  void followStreamsNewBootsUntilStopped() throws Exception {
    poweringOff("followed", "streamed");
    Path out = Files.createTempFile("follow", ".out");
    // Started as the guest is created, before it printed: it waits for the console, then follows it.
    ProcessBuilder command = new ProcessBuilder(env.repository().kubectlPlugin().toString(), "logs", "-f",
        "followed", "-n", NS).redirectErrorStream(true).redirectOutput(out.toFile());
    command.environment().put("KUBECONFIG", reader.toString());
    Process follow = command.start();
    try {
      await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() ->
          Files.readString(out).lines().filter(line -> line.equals("UNIKERNEL READY cmdline=streamed poweroff"))
              .count() >= 2);
      assertThat(follow.isAlive()).as("still following: the guest restarts").isTrue();
    } finally {
      follow.destroy();
      follow.waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(Files.readString(out).lines().toList()).startsWith("UNIKERNEL READY cmdline=streamed poweroff",
        "UNIKERNEL POWEROFF", "UNIKERNEL READY cmdline=streamed poweroff");
  }

  @Test
  void followEndsWhenTheGuestSettles() throws Exception {
    Unikernel guest = Guests.guest(NS, "once", hello, "32Mi", Map.of("pool", "console-e2e"));
    guest.getSpec().setCmdline("once poweroff");
    guest.getSpec().setRestartPolicy(RestartPolicy.Never);
    client.resource(guest).create();
    ProcessBuilder command = new ProcessBuilder(env.repository().kubectlPlugin().toString(), "logs", "-f", "once",
        "-n", NS).redirectErrorStream(true);
    command.environment().put("KUBECONFIG", reader.toString());
    Process follow = command.start();
    boolean exited = follow.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    String output = new String(follow.getInputStream().readAllBytes());
    if (!exited) {
      follow.destroyForcibly();
    }
    assertThat(exited).as("logs -f ended when the guest Succeeded: " + output).isTrue();
    assertThat(follow.exitValue()).isZero();
    assertThat(output.lines().toList()).containsExactly("UNIKERNEL READY cmdline=once poweroff",
        "UNIKERNEL POWEROFF");
  }

  @Test
  void aUserWhoMayNotReadConsolesIsRefused() throws Exception {
    poweringOff("private", "secret");
    await().atMost(TIMEOUT).until(() ->
        client.resources(UnikernelConsole.class).inNamespace(NS).withName("private").get() != null);
    CommandResult refused = plugin(stranger, "logs", "private");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stdout()).doesNotContain("secret");
    assertThat(refused.stderr()).startsWith("Error from server (Forbidden): ")
        .contains("unikernelconsoles").contains("system:serviceaccount:" + NS + ":stranger");
    CommandResult allowed = plugin(reader, "logs", "private");
    assertThat(allowed.exitCode()).as(allowed.output()).isZero();
  }

  @Test
  void anAgentKilledAndStartedAgainContinuesTheConsoleWithoutRepeatingIt() throws Exception {
    Unikernel guest = Guests.guest(NS, "steady", hello, "32Mi", Map.of("pool", "console-e2e"));
    guest.getSpec().setCmdline("steady");
    client.resource(guest).create();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(plugin(reader, "logs", "steady").stdout().lines().toList())
        .containsExactly("UNIKERNEL READY cmdline=steady"));
    UnikernelConsole before = client.resources(UnikernelConsole.class).inNamespace(NS).withName("steady").get();
    agent.kill();
    agent = startAgent(); // ready: it adopts the running domain, and its console where it was published
    // Time for the new agent's first looks (a second apart): one that read the log from its start again would
    // publish the line again, with a new mark, and so change the object.
    Thread.sleep(5_000);
    CommandResult after = plugin(reader, "logs", "steady");
    assertThat(after.stdout().lines().toList()).containsExactly("UNIKERNEL READY cmdline=steady");
    UnikernelConsole now = client.resources(UnikernelConsole.class).inNamespace(NS).withName("steady").get();
    assertThat(now.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(now.getStatus().getBoots()).hasSize(1);
  }

  @Test
  void aGuestThatDoesNotExistIsNotFound() throws Exception {
    CommandResult missing = plugin(reader, "logs", "nobody");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr()).startsWith("Error from server (NotFound): ").contains("\"nobody\"");
  }
}
