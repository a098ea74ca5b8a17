package io.unikernetes.local.process;

import io.unikernetes.local.host.NetnsLibvirtd;
import io.unikernetes.local.repository.Repository;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The xen-agent as its own process (the runnable jar), so a test can kill it the hard way and start it again. */
public final class AgentProcess implements AutoCloseable {

  private final Process process;
  private final int httpPort;

  private AgentProcess(Process process, int httpPort) {
    this.process = process;
    this.httpPort = httpPort;
  }

  public static AgentProcess start(Repository repo, Path kubeconfig, String node, String uri, Path stateDir,
      String labels, String heartbeatNamespace, Path log) throws IOException, InterruptedException {
    int port = LoopbackPorts.free();
    AgentProcess agent = new AgentProcess(launch(List.of(), repo, kubeconfig, node, uri, stateDir, labels,
        heartbeatNamespace, log, port, List.of()), port);
    agent.awaitReady(Duration.ofSeconds(60), log, agent::readyOverLoopback);
    return agent;
  }

  /**
   * The agent inside {@code netns}, where its guests' bridge is, as on a real host; it reaches the API server
   * through a relay the caller set up ({@link NetnsLibvirtd#relay}). {@code extraArgs} are further flags.
   */
  public static AgentProcess startInNetns(NetnsLibvirtd netns, Repository repo, Path kubeconfig, String node,
      Path stateDir, String labels, String heartbeatNamespace, Path log, List<String> extraArgs)
      throws IOException, InterruptedException {
    int port = LoopbackPorts.free();
    AgentProcess agent = new AgentProcess(launch(List.of("ip", "netns", "exec", netns.netns()), repo, kubeconfig,
        node, netns.uri(), stateDir, labels, heartbeatNamespace, log, port, extraArgs), port);
    agent.awaitReady(Duration.ofSeconds(60), log, () -> {
      try {
        return netns.httpGet("http://127.0.0.1:" + port + "/readyz").isPresent();
      } catch (Exception e) {
        return false;
      }
    });
    return agent;
  }

  private static Process launch(List<String> prefix, Repository repo, Path kubeconfig, String node, String uri,
      Path stateDir, String labels, String heartbeatNamespace, Path log, int port, List<String> extraArgs)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new java.util.ArrayList<>(prefix);
    command.addAll(List.of(java, "-jar", repo.agentJar().toString(),
        "--node-name=" + node, "--libvirt-uri=" + uri, "--state-dir=" + stateDir, "--node-labels=" + labels,
        "--http-host=127.0.0.1", "--http-port=" + port, "--resync-seconds=5",
        "--heartbeat-namespace=" + heartbeatNamespace, "--heartbeat-seconds=2"));
    command.addAll(extraArgs);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    return builder.start();
  }

  private boolean readyOverLoopback() {
    try {
      HttpRequest readyz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/readyz"))
          .timeout(Duration.ofSeconds(2)).build();
      return HttpClient.newHttpClient().send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false; // not serving yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void awaitReady(Duration timeout, Path log, java.util.function.BooleanSupplier ready)
      throws IOException, InterruptedException {
    ReadinessWait.await(process, "agent", timeout, log, ready);
  }

  public int httpPort() {
    return httpPort;
  }

  /** SIGKILL: no shutdown hook, no cleanup, as when a host's agent crashes. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
