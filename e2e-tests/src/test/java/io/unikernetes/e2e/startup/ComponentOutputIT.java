package io.unikernetes.e2e.startup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.local.process.LoopbackPorts;
import io.unikernetes.e2e.support.TestEnvironment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the operator and agent print, run as users run them (the runnable jars, against the real API server):
 * one line per event with no terminal escapes or version warnings, JSON lines on request, and a start-up
 * failure as one line naming the setting to change, with exit code 1.
 */
class ComponentOutputIT {

  private static final Duration RUN_LIMIT = Duration.ofMinutes(3);
  private static final String NODE = "output-node";
  /** Only ever named by an agent whose port is taken: it must never be registered. */
  private static final String PORT_NODE = "output-port-node";
  private static TestEnvironment env;
  private static Path work;

  @BeforeAll
  static void setUp() throws Exception {
    env = TestEnvironment.get();
    work = env.newWorkDir("component-output");
  }

  @AfterAll
  static void tearDown() {
    env.client().resources(XenNode.class).withName(NODE).delete();
  }

  @Test
  void agentLogsOneLinePerEventWithoutEscapesOrVersionWarnings() throws Exception {
    List<String> lines = runUntilServing(List.of());
    assertThat(lines).isNotEmpty()
        .allSatisfy(line -> assertThat(line).matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (ERROR|WARN |INFO ) \\[[^]]+] .+? - .*"))
        .noneSatisfy(line -> assertThat(line).contains("\u001b"))
        .noneSatisfy(line -> assertThat(line).containsIgnoringCase("unstable version"))
        .noneSatisfy(line -> assertThat(line).contains("SLF4J"));
    assertThat(lines).anySatisfy(line -> assertThat(line).contains("INFO ").contains("serving XenNode " + NODE));
  }

  @Test
  void agentLogsJsonLinesWhenAsked() throws Exception {
    List<String> lines = runUntilServing(List.of("--log-format=json"));
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> events = new ArrayList<>();
    for (String line : lines) {
      events.add(json.readTree(line)); // throws on a line that is not one JSON document
    }
    assertThat(events).isNotEmpty().allSatisfy(event -> {
      assertThat(event.isObject()).isTrue();
      assertThat(event.path("level").asText()).isIn("ERROR", "WARN", "INFO");
      assertThat(event.has("loggerName")).isTrue();
    });
    assertThat(events).anySatisfy(event -> assertThat(event.path("formattedMessage").asText())
        .contains("serving XenNode " + NODE));
  }

  @Test
  void aTakenPortIsOneLineNamingTheFlag() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      List<String> command = new ArrayList<>(agentCommand(port, "test:///default", List.of()));
      command.replaceAll(arg -> arg.equals("--node-name=" + NODE) ? "--node-name=" + PORT_NODE : arg);
      Failure agent = runToExit(command, Map.of());
      assertThat(agent.exitCode()).as(agent.stderr()).isEqualTo(1);
      assertThat(agent.stderr().lines().toList()).as(agent.stderr()).singleElement().asString()
          .startsWith("unikernetes-xen-agent: cannot listen on 127.0.0.1:" + port)
          .contains("--http-port");
      assertThat(env.client().resources(XenNode.class).withName(PORT_NODE).get())
          .as("nothing registered by an agent that could not start").isNull();

      Failure operator = runToExit(List.of(java(), "-jar", env.repository().operatorJar().toString(),
          "--leader-election=false", "--http-host=127.0.0.1", "--http-port=" + port), Map.of());
      assertThat(operator.exitCode()).as(operator.stderr()).isEqualTo(1);
      assertThat(operator.stderr().lines().toList()).as(operator.stderr()).singleElement().asString()
          .startsWith("unikernetes-operator: cannot listen on 127.0.0.1:" + port)
          .contains("--http-port");
    }
  }

  @Test
  void anUnreachableLibvirtIsOneLineNamingTheFlag() throws Exception {
    Path noSocket = work.resolve("no-libvirt-sock");
    Failure agent = runToExit(agentCommand(LoopbackPorts.free(), "qemu+unix:///system?socket=" + noSocket,
        List.of()), Map.of());
    assertThat(agent.exitCode()).as(agent.stderr()).isEqualTo(1);
    assertThat(agent.stderr().lines().toList()).as(agent.stderr()).singleElement().asString()
        .startsWith("unikernetes-xen-agent: cannot connect to libvirt at qemu+unix:///system")
        .contains("--libvirt-uri");
  }

  @Test
  void aMissingKubeconfigIsOneLineNamingIt() throws Exception {
    Path missing = work.resolve("no-such-kubeconfig");
    Failure agent = runToExit(agentCommand(LoopbackPorts.free(), "test:///default", List.of()),
        Map.of("KUBECONFIG", missing.toString()));
    assertThat(agent.exitCode()).as(agent.stderr()).isEqualTo(1);
    assertThat(agent.stderr().lines().toList()).as(agent.stderr()).singleElement().asString()
        .isEqualTo("unikernetes-xen-agent: KUBECONFIG names " + missing
            + ", which does not exist or cannot be read: point $KUBECONFIG at the cluster's kubeconfig");
  }

  @Test
  void aBadLogLevelIsAUsageError() throws Exception {
    Failure agent = runToExit(agentCommand(LoopbackPorts.free(), "test:///default", List.of("--log-level=loud")),
        Map.of());
    assertThat(agent.exitCode()).isEqualTo(2);
    assertThat(agent.stderr().strip()).isEqualTo(
        "unikernetes-xen-agent: --log-level: 'loud' is not one of error, warn, info, debug, trace");
  }

  private record Failure(int exitCode, String stderr) {
  }

  private static List<String> agentCommand(int port, String libvirtUri, List<String> extra) throws IOException {
    List<String> command = new ArrayList<>(List.of(java(), "-jar", env.repository().agentJar().toString(),
        "--node-name=" + NODE, "--libvirt-uri=" + libvirtUri, "--state-dir=" + work.resolve("agent-state"),
        "--http-host=127.0.0.1", "--http-port=" + port, "--heartbeat-namespace=" + TestEnvironment.NODE_LEASES));
    command.addAll(extra);
    return command;
  }

  private static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  private static ProcessBuilder builder(List<String> command, Map<String, String> environment, Path stdout,
      Path stderr) {
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    builder.environment().put("KUBECONFIG", env.cluster().kubeconfig().toString());
    builder.environment().remove("UNIKERNETES_LOG_LEVEL");
    builder.environment().remove("UNIKERNETES_LOG_FORMAT");
    builder.environment().putAll(environment);
    return builder;
  }

  private static Failure runToExit(List<String> command, Map<String, String> environment) throws Exception {
    Path stdout = Files.createTempFile(work, "out", ".log");
    Path stderr = Files.createTempFile(work, "err", ".log");
    Process process = builder(command, environment, stdout, stderr).start();
    if (!process.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("still running after " + RUN_LIMIT + ": " + Files.readString(stderr));
    }
    assertThat(Files.readString(stdout)).as("nothing on standard output").isEmpty();
    return new Failure(process.exitValue(), Files.readString(stderr));
  }

  /** Starts the agent on libvirt's test driver, waits until it serves its node, stops it; its stderr lines. */
  private static List<String> runUntilServing(List<String> extra) throws Exception {
    Path stdout = Files.createTempFile(work, "out", ".log");
    Path stderr = Files.createTempFile(work, "err", ".log");
    Process process = builder(agentCommand(LoopbackPorts.free(), "test:///default", extra), Map.of(), stdout,
        stderr).start();
    try {
      Instant deadline = Instant.now().plus(RUN_LIMIT);
      while (!Files.readString(stderr).contains("serving XenNode")) {
        if (!process.isAlive() || Instant.now().isAfter(deadline)) {
          throw new AssertionError("the agent did not start: " + Files.readString(stderr));
        }
        Thread.sleep(200);
      }
    } finally {
      process.destroy(); // SIGTERM: its shutdown logs too
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    assertThat(Files.readString(stdout)).as("nothing on standard output").isEmpty();
    return Files.readAllLines(stderr);
  }
}
