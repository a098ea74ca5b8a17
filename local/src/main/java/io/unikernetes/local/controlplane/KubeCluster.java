package io.unikernetes.local.controlplane;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.local.process.CommandResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A Kubernetes cluster the tests and the demo drive: a kubeconfig, clients, and the real kubectl. */
public interface KubeCluster extends AutoCloseable {

  Path kubeconfig();

  Path kubectlBinary();

  KubernetesClient newClient();

  /** Runs kubectl against this cluster; {@code stdin} may be null. */
  default CommandResult kubectl(String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(kubectlBinary().toString());
    command.addAll(List.of(args));
    return CommandResult.run(command, Map.of("KUBECONFIG", kubeconfig().toString()), stdin);
  }

  @Override
  void close();
}
