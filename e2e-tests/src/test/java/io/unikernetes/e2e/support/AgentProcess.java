package io.unikernetes.e2e.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
    Path jar = repo.agentJar();
    int port = LoopbackPorts.free();
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(List.of(java, "-jar", jar.toString(),
        "--node-name=" + node, "--libvirt-uri=" + uri, "--state-dir=" + stateDir, "--node-labels=" + labels,
        "--http-host=127.0.0.1", "--http-port=" + port, "--resync-seconds=5",
        "--heartbeat-namespace=" + heartbeatNamespace, "--heartbeat-seconds=2"))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    AgentProcess agent = new AgentProcess(builder.start(), port);
    agent.awaitReady(Duration.ofSeconds(60), log);
    return agent;
  }

  private void awaitReady(Duration timeout, Path log) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest readyz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/readyz"))
        .timeout(Duration.ofSeconds(2)).build();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException("the agent exited with " + process.exitValue() + "; see " + log);
      }
      try {
        if (http.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not serving yet
      }
      Thread.sleep(200);
    }
    throw new IOException("the agent was not ready within " + timeout.toSeconds() + " s; see " + log);
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
