package io.unikernetes.e2e.controlplane;

import io.unikernetes.local.controlplane.KubeCluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;

/** A cluster someone else runs, reached through $KUBECONFIG (kubectl from the pinned build). */
public record ExternalCluster(Path kubeconfig, Path kubectlBinary) implements KubeCluster {

  public static ExternalCluster fromEnvironment(Path binDir) {
    String kubeconfig = System.getenv("KUBECONFIG");
    if (kubeconfig == null || kubeconfig.isBlank()) {
      throw new IllegalStateException("UNIKERNETES_E2E_USE_KUBECONFIG=true needs $KUBECONFIG");
    }
    return new ExternalCluster(Path.of(kubeconfig), binDir.resolve("kubectl"));
  }

  @Override
  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().build();
  }

  @Override
  public void close() {
  }
}
