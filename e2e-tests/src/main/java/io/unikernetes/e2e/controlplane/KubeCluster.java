package io.unikernetes.e2e.controlplane;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A Kubernetes cluster the tests and the demo drive: a kubeconfig, clients, and the real kubectl. */
public interface KubeCluster extends AutoCloseable {

  /** What a kubectl run printed and how it ended. */
  record KubectlResult(int exitCode, String stdout, String stderr) {
    public String output() {
      return stdout + stderr;
    }
  }

  Path kubeconfig();

  Path kubectlBinary();

  KubernetesClient newClient();

  /** Runs kubectl against this cluster; {@code stdin} may be null. */
  default KubectlResult kubectl(String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(kubectlBinary().toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile("kubectl", ".out");
    Path err = Files.createTempFile("kubectl", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().put("KUBECONFIG", kubeconfig().toString());
      Process process = builder.start();
      if (stdin != null) {
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      process.getOutputStream().close();
      if (!process.waitFor(Duration.ofMinutes(3).toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("kubectl " + String.join(" ", args) + " timed out");
      }
      return new KubectlResult(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Override
  void close();
}
