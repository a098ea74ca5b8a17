package io.unikernetes.kubectl;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** kubectl's connection flags, which kubectl does not pass on to plugins: a plugin takes them itself. */
final class ClusterOptions {

  @Option(names = "--kubeconfig", description = "Path to the kubeconfig file (default: $KUBECONFIG, ~/.kube/config).")
  Path kubeconfig;

  @Option(names = "--context", description = "The kubeconfig context to use.")
  String context;

  @Option(names = {"-n", "--namespace"}, description = "The namespace (default: the context's, else default).")
  String namespace;

  KubernetesClient client() throws IOException {
    Config config = kubeconfig == null ? Config.autoConfigure(context)
        : Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString());
    // A command-line tool answers at once: no retries with backoff on a server that is not there.
    config.setRequestRetryBackoffLimit(0);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  String namespace(KubernetesClient client) {
    if (namespace != null) {
      return namespace;
    }
    String configured = client.getConfiguration().getNamespace();
    return configured == null ? "default" : configured;
  }
}
