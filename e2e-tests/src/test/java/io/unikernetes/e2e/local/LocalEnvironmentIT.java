package io.unikernetes.e2e.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.unikernetes.e2e.support.TestEnvironment;
import io.unikernetes.local.process.CommandResult;
import io.unikernetes.local.repository.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local environment as a user drives it, through hack/local-up.sh and hack/local-down.sh: up from a shell
 * that then hangs up, a guest applied with kubectl, a local kernel file booted with kubectl unikernetes run and
 * its console read with logs, up again (it only prints), down (the guests' domains go too), up again and down
 * again. Its own control plane, on qemu:///system as XenNode "local".
 */
class LocalEnvironmentIT {

  private static final Pattern PID = Pattern.compile("Local environment up \\(pid (\\d+)\\)");
  private static Repository repository;
  private static Path state;

  @BeforeAll
  static void setUp() throws Exception {
    TestEnvironment env = TestEnvironment.get();
    repository = env.repository();
    state = env.newWorkDir("local-environment").resolve("state");
  }

  @AfterAll
  static void tearDown() throws Exception {
    script("local-down.sh"); // whatever a failed test left up
  }

  @Test
  void upApplyUpAgainDownUpDown() throws Exception {
    // Up from a shell in a session of its own, which is then hung up on as a closed terminal would be.
    ProcessBuilder shell = new ProcessBuilder("setsid", "bash", "-c",
        "bash hack/local-up.sh --no-build > \"$1\" 2>&1; echo $? > \"$1.rc\"; exec sleep 600", "--",
        state.resolveSibling("up.out").toString())
        .directory(repository.root().toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    shell.environment().put("UNIKERNETES_LOCAL_DIR", state.toString());
    Process session = shell.start();
    Path upOut = state.resolveSibling("up.out");
    Path upRc = state.resolveSibling("up.out.rc");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
    while (!Files.exists(upRc) || Files.readString(upRc).isBlank()) {
      assertThat(System.nanoTime()).as("local-up.sh did not finish").isLessThan(deadline);
      Thread.sleep(500);
    }
    String up = Files.readString(upOut);
    assertThat(Files.readString(upRc).strip()).as(up).isEqualTo("0");
    assertThat(up).contains("export KUBECONFIG=" + state.resolve("kubeconfig"))
        .contains("bash hack/local-down.sh");
    long pid = pid(up);
    new ProcessBuilder("kill", "-HUP", "--", "-" + session.pid()).start().waitFor();
    session.destroyForcibly().waitFor();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("up after its shell hung up").contains(true);

    assertThat(kubectl("apply", "-f", state.resolve("hello.yaml").toString()).exitCode()).isZero();
    CommandResult running = kubectl("wait", "--for=jsonpath={.status.phase}=Running", "--timeout=180s",
        "unikernel/hello");
    assertThat(running.exitCode()).as(running.output()).isZero();
    String domain = kubectl("get", "unikernel/hello", "-o", "jsonpath={.status.domainUUID}").stdout().strip();
    assertThat(domains()).contains(domain);

    // One's own kernel file, from this machine: run copies it to the artifact server and creates the guest.
    CommandResult run = plugin("run", "mine", "--kernel", repository.helloGuest().toString(), "--cmdline",
        "my own kernel");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.stdout().strip()).isEqualTo("unikernel.unikernetes.io/mine created");
    CommandResult mine = kubectl("wait", "--for=jsonpath={.status.phase}=Running", "--timeout=180s",
        "unikernel/mine");
    assertThat(mine.exitCode()).as(mine.output()).isZero();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(plugin("logs", "mine").stdout()).contains("UNIKERNEL READY cmdline=my own kernel"));

    CommandResult again = script("local-up.sh", "--no-build");
    assertThat(again.exitCode()).as(again.output()).isZero();
    assertThat(again.stderr()).contains("already up (pid " + pid + ")");
    assertThat(pid(again.stdout())).isEqualTo(pid);

    CommandResult down = script("local-down.sh");
    assertThat(down.exitCode()).as(down.output()).isZero();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(domains()).as("no domain outlives the environment").doesNotContain(domain);
    assertThat(state.resolve("ready")).doesNotExist();

    CommandResult upAgain = script("local-up.sh", "--no-build");
    assertThat(upAgain.exitCode()).as(upAgain.output()).isZero();
    assertThat(pid(upAgain.stdout())).isNotEqualTo(pid);
    CommandResult node = kubectl("wait", "--for=condition=Ready", "--timeout=60s", "xennode/local");
    assertThat(node.exitCode()).as(node.output()).isZero();
    assertThat(kubectl("get", "unikernels", "-A", "-o", "name").stdout()).as("a fresh cluster").isBlank();

    assertThat(script("local-down.sh").exitCode()).isZero();
    CommandResult downAgain = script("local-down.sh");
    assertThat(downAgain.exitCode()).isZero();
    assertThat(downAgain.stderr()).contains("not running");
  }

  private static long pid(String output) {
    Matcher matcher = PID.matcher(output);
    assertThat(matcher.find()).as(output).isTrue();
    return Long.parseLong(matcher.group(1));
  }

  private static CommandResult script(String name, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("bash", repository.root().resolve("hack/" + name).toString()));
    command.addAll(List.of(args));
    return CommandResult.run(command, Map.of("UNIKERNETES_LOCAL_DIR", state.toString()), null);
  }

  private static CommandResult plugin(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(repository.kubectlPlugin().toString()));
    command.addAll(List.of(args));
    return CommandResult.run(command, Map.of("KUBECONFIG", state.resolve("kubeconfig").toString()), null);
  }

  private static CommandResult kubectl(String... args) throws Exception {
    String kubectlDir = Files.readAllLines(state.resolve("ready")).stream()
        .filter(line -> line.startsWith("KUBECTL_DIR=")).findFirst().orElseThrow().substring("KUBECTL_DIR=".length());
    List<String> command = new java.util.ArrayList<>(List.of(Path.of(kubectlDir, "kubectl").toString()));
    command.addAll(List.of(args));
    return CommandResult.run(command, Map.of("KUBECONFIG", state.resolve("kubeconfig").toString()), null);
  }

  private static List<String> domains() throws Exception {
    CommandResult list = CommandResult.run(List.of("virsh", "-c", "qemu:///system", "list", "--all", "--uuid"),
        Map.of(), null);
    assertThat(list.exitCode()).as(list.output()).isZero();
    return list.stdout().lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
  }
}
