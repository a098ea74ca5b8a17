package io.unikernetes.e2e.xen;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.local.controlplane.KubeCluster;
import io.unikernetes.local.process.CommandResult;
import io.unikernetes.local.repository.Repository;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Installs the xen-agent in the Xen test host's dom0 the way an administrator installs it on a Xen host that
 * is not a Kubernetes node: the Helm chart with agent.mode=external makes the agents' RBAC and admission
 * policy; deploy/systemd/make-agent-kubeconfig.sh makes this host's ServiceAccount and the agent's kubeconfig; the unit
 * deploy/systemd/unikernetes-xen-agent.service is installed and enabled as is, with the runnable jar, the env file
 * (deploy/systemd/xen-agent.env with this host's values) and the kubeconfig where it expects them. The result is
 * a directory of files for {@link XenHost#boot}; dom0's systemd starts the agent.
 */
public final class Dom0Agent {

  /** The API server's name in dom0: a name its self-signed serving certificate carries. */
  public static final String API_SERVER_NAME = "kubernetes.default.svc";
  /** The agent's systemd unit, as shipped. */
  public static final String UNIT = "unikernetes-xen-agent.service";

  private Dom0Agent() {
  }

  /**
   * Writes dom0's agent files into {@code files} and returns it.
   *
   * @param release  Helm release of the agent's credentials, installed into {@code namespace} (where its
   *                 heartbeat Lease lives)
   * @param settings UNIKERNETES_* settings that differ from deploy/systemd/xen-agent.env
   */
  public static Path install(Repository repo, KubeCluster cluster, Path helm, String namespace, String release,
      Map<String, String> settings, Path files, Path workDir) throws IOException, InterruptedException {
    run(List.of(helm.toString(), "--kubeconfig", cluster.kubeconfig().toString(), "upgrade", "--install", release,
        repo.root().resolve("helm/unikernetes").toString(), "-n", namespace, "--create-namespace",
        "--set", "agent.mode=external", "--set", "operator.enabled=false"),
        Map.of("HELM_CACHE_HOME", workDir.resolve("helm-cache").toString(),
            "HELM_CONFIG_HOME", workDir.resolve("helm-config").toString(),
            "HELM_DATA_HOME", workDir.resolve("helm-data").toString()));
    String kubeconfig = run(List.of("bash", repo.root().resolve("deploy/systemd/make-agent-kubeconfig.sh").toString(),
        namespace, release + "-unikernetes-xen-agent", settings.get("UNIKERNETES_NODE_NAME"),
        "https://" + API_SERVER_NAME + ":" + apiPort(cluster)),
        Map.of("KUBECONFIG", cluster.kubeconfig().toString(),
            "PATH", cluster.kubectlBinary().getParent() + ":" + System.getenv("PATH")));

    Path etc = Files.createDirectories(files.resolve("etc/unikernetes"));
    Files.writeString(etc.resolve("agent.kubeconfig"), kubeconfig);
    Files.setPosixFilePermissions(etc.resolve("agent.kubeconfig"), PosixFilePermissions.fromString("rw-------"));
    Files.writeString(etc.resolve("xen-agent.env"), envFile(repo, settings));
    Files.writeString(files.resolve("etc/hosts"),
        "127.0.0.1 localhost\n" + XenHost.OUTER_HOST + " " + API_SERVER_NAME + "\n");
    Path units = Files.createDirectories(files.resolve("etc/systemd/system/multi-user.target.wants"));
    Files.copy(repo.root().resolve("deploy/systemd/" + UNIT), units.resolveSibling(UNIT),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.deleteIfExists(units.resolve(UNIT));
    Files.createSymbolicLink(units.resolve(UNIT), Path.of("..", UNIT)); // systemctl enable
    Path opt = Files.createDirectories(files.resolve("opt/unikernetes"));
    Files.copy(repo.agentJar(), opt.resolve("xen-agent.jar"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return files;
  }

  /** deploy/systemd/xen-agent.env with {@code settings} replacing or adding lines. */
  static String envFile(Repository repo, Map<String, String> settings) throws IOException {
    Map<String, String> remaining = new LinkedHashMap<>(settings);
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(repo.root().resolve("deploy/systemd/xen-agent.env"))) {
      String key = line.contains("=") && !line.startsWith("#") ? line.substring(0, line.indexOf('=')) : null;
      lines.add(key != null && remaining.containsKey(key) ? key + "=" + remaining.remove(key) : line);
    }
    remaining.forEach((key, value) -> lines.add(key + "=" + value));
    return String.join("\n", lines) + "\n";
  }

  private static int apiPort(KubeCluster cluster) {
    try (KubernetesClient client = cluster.newClient()) {
      return URI.create(client.getMasterUrl().toString()).getPort();
    }
  }

  private static String run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
    CommandResult result = CommandResult.run(command, env, null);
    if (result.exitCode() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + result.output());
    }
    return result.stdout();
  }
}
