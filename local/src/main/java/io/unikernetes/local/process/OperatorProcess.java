package io.unikernetes.local.process;

import io.unikernetes.local.host.ClusterNetns;
import io.unikernetes.local.repository.Repository;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The operator as its own process (the runnable jar) inside a {@link ClusterNetns}, where its activator's
 * address is, as an operator Pod on the cluster network: it reaches the API server through a relay the caller
 * set up, and takes leadership through {@code leaseName} (an operator holding it elsewhere must stop first).
 */
public final class OperatorProcess implements AutoCloseable {

  private final Process process;
  private final ClusterNetns netns;
  private final int httpPort;
  private final Path log;

  private OperatorProcess(Process process, ClusterNetns netns, int httpPort, Path log) {
    this.process = process;
    this.netns = netns;
    this.httpPort = httpPort;
    this.log = log;
  }

  /** Starts it with its activator on the namespace's address, and waits until it leads and is ready. */
  public static OperatorProcess startInNetns(ClusterNetns netns, Repository repo, Path kubeconfig, String leaseName,
      String nodeLeaseNamespace, Path log, Duration timeout) throws IOException, InterruptedException {
    int port = LoopbackPorts.free();
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", netns.netns(), java, "-jar",
        repo.operatorJar().toString(), "--lease-namespace=default", "--lease-name=" + leaseName,
        "--identity=netns-operator", "--http-host=127.0.0.1", "--http-port=" + port,
        "--node-lease-namespace=" + nodeLeaseNamespace, "--activator-address=" + netns.address()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    OperatorProcess operator = new OperatorProcess(builder.start(), netns, port, log);
    ReadinessWait.await(operator.process, "operator", timeout, log, () -> operator.get("/readyz").isPresent());
    return operator;
  }

  /** The body of GET {@code path} on its HTTP port, empty when it does not answer. */
  public Optional<String> get(String path) {
    try {
      return netns.httpGet("http://127.0.0.1:" + httpPort + path);
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /** The sum of a metric's samples whose line starts with {@code prefix} (name and labels), 0 if none. */
  public double metric(String prefix) {
    return get("/metrics").orElse("").lines().filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /** SIGKILL: held connections and the Lease are left as a crashed Pod leaves them. */
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
