package io.unikernetes.local.environment;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.agent.UnikernetesAgent;
import io.unikernetes.agent.config.AgentConfig;
import io.unikernetes.agent.network.GuestNetworkConfig;
import io.unikernetes.api.v1alpha1.ArtifactServer;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.UnikernelDeployment;
import io.unikernetes.api.v1alpha1.spec.CpuAmount;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import io.unikernetes.local.artifacts.GuestImageServer;
import io.unikernetes.local.controlplane.KubeCluster;
import io.unikernetes.local.controlplane.LocalControlPlane;
import io.unikernetes.local.repository.Crds;
import io.unikernetes.local.repository.Repository;
import io.unikernetes.operator.UnikernetesOperator;
import io.unikernetes.operator.config.OperatorConfig;
import io.unikernetes.operator.scheduler.SchedulingPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default on one machine: a local control plane (etcd, kube-apiserver, kube-controller-manager,
 * each a child process that dies with this JVM), the CRDs, the operator, one xen-agent on qemu:///system, and an
 * artifact server that serves a directory over loopback HTTP for guests' images. Used by the local environment
 * kept up in the background ({@code LocalMain}) and by the demo. A ConfigMap ({@link ArtifactServer}) says where
 * the artifact server is, for {@code kubectl unikernetes run}.
 */
public final class LocalEnvironment implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalEnvironment.class);
  /** libvirt of the machine: QEMU guests, software-emulated unless the host has KVM. */
  public static final String LIBVIRT_URI = "qemu:///system";

  private final KubeCluster cluster;
  private final KubernetesClient client;
  private final GuestImageServer artifacts;
  private final UnikernetesOperator operator;
  private final UnikernetesAgent agent;

  private LocalEnvironment(KubeCluster cluster, KubernetesClient client, GuestImageServer artifacts,
      UnikernetesOperator operator, UnikernetesAgent agent) {
    this.cluster = cluster;
    this.client = client;
    this.artifacts = artifacts;
    this.operator = operator;
    this.agent = agent;
  }

  /**
   * Starts everything, or nothing: what started is stopped again when a later part fails.
   *
   * @param workDir the control plane's data and logs ({@code control-plane/}) and the agent's state ({@code agent/})
   * @param nodeName the XenNode the agent registers
   * @param artifactsDir served at {@link #artifactUrl(String)}
   */
  public static LocalEnvironment start(Repository repository, Path controlPlaneBin, Path workDir, String nodeName,
      Path artifactsDir) throws IOException, InterruptedException {
    Files.createDirectories(artifactsDir);
    KubeCluster cluster = LocalControlPlane.start(controlPlaneBin, workDir.resolve("control-plane"));
    KubernetesClient client = null;
    GuestImageServer artifacts = null;
    UnikernetesOperator operator = null;
    try {
      client = cluster.newClient();
      artifacts = GuestImageServer.serve(artifactsDir);
      Crds.install(cluster, repository);
      // Where kubectl unikernetes run puts a kernel file for the agents to fetch.
      client.resource(new ConfigMapBuilder().withNewMetadata().withNamespace(ArtifactServer.CONFIG_MAP_NAMESPACE)
          .withName(ArtifactServer.CONFIG_MAP_NAME).endMetadata()
          .addToData(ArtifactServer.URL_KEY, artifacts.urlOf(""))
          .addToData(ArtifactServer.DIRECTORY_KEY, artifactsDir.toAbsolutePath().toString()).build())
          .serverSideApply();
      operator = UnikernetesOperator.start(new OperatorConfig(false, "default", "unikernetes-operator",
          "local-operator", "127.0.0.1", 0, "default", Duration.ofSeconds(300), SchedulingPolicy.dense,
          OperatorConfig.DEFAULT_GUEST_SUBNETS), client, UnikernetesOperator.OnLostLeadership.STOP_CONTROLLERS);
      UnikernetesAgent agent = UnikernetesAgent.start(agentConfig(nodeName, LIBVIRT_URI, workDir.resolve("agent"),
          GuestNetworkConfig.NONE), client);
      return new LocalEnvironment(cluster, client, artifacts, operator, agent);
    } catch (IOException | InterruptedException | RuntimeException e) {
      closeQuietly(operator);
      closeQuietly(artifacts);
      closeQuietly(client);
      cluster.close();
      throw e;
    }
  }

  /**
   * A local agent's settings: the agent's defaults, with 512Mi and 100m of the machine kept for itself, probes
   * and metrics on a free loopback port, heartbeat Leases in {@code default}.
   */
  public static AgentConfig agentConfig(String nodeName, String libvirtUri, Path stateDir, GuestNetworkConfig network) {
    return new AgentConfig(nodeName, libvirtUri, stateDir, Path.of("/var/log/xen/console"), MemorySize.parse("512Mi"),
        CpuAmount.parse("100m"), Optional.empty(), CpuAmount.ZERO, OptionalInt.empty(),
        AgentConfig.DEFAULT_LIBVIRT_PARALLELISM, Map.of(), "127.0.0.1", 0, Duration.ofSeconds(30),
        Duration.ofSeconds(600), Duration.ofSeconds(30), "default", Duration.ofSeconds(10), network, AgentConfig.DEFAULT_CONSOLE_RETAINED_BYTES, AgentConfig.DEFAULT_CONSOLE_WRITES_PER_SECOND);
  }

  public KubeCluster cluster() {
    return cluster;
  }

  public KubernetesClient client() {
    return client;
  }

  /** Where the agents fetch a file of the artifacts directory from. */
  public String artifactUrl(String fileName) {
    return artifacts.urlOf(fileName);
  }

  /**
   * Deletes every UnikernelDeployment and Unikernel and waits until the agent has destroyed their domains and
   * let them go, so stopping leaves no guest running on the machine.
   *
   * @return whether none was left after {@code timeout}
   */
  public boolean deleteGuests(Duration timeout) throws InterruptedException {
    client.resources(UnikernelDeployment.class).inAnyNamespace().delete();
    client.resources(Unikernel.class).inAnyNamespace().delete();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      int left = client.resources(Unikernel.class).inAnyNamespace().list().getItems().size();
      if (left == 0) {
        return true;
      }
      LOG.info("waiting for {} guest(s) to be destroyed", left);
      Thread.sleep(500);
    }
    return false;
  }

  @Override
  public void close() {
    closeQuietly(agent);
    closeQuietly(operator);
    closeQuietly(artifacts);
    closeQuietly(client);
    cluster.close();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("stopping {} failed", closeable.getClass().getSimpleName(), e);
    }
  }
}
