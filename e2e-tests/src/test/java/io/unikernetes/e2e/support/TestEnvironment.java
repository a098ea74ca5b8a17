package io.unikernetes.e2e.support;

import io.unikernetes.local.repository.Repository;
import io.unikernetes.local.repository.Crds;

import java.util.OptionalInt;
import java.util.Optional;
import io.unikernetes.api.v1alpha1.spec.CpuAmount;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.agent.UnikernetesAgent;
import io.unikernetes.agent.config.AgentConfig;
import io.unikernetes.agent.network.GuestNetworkConfig;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import io.unikernetes.local.controlplane.ControlPlaneBinaries;
import io.unikernetes.e2e.controlplane.ExternalCluster;
import io.unikernetes.local.controlplane.KubeCluster;
import io.unikernetes.local.controlplane.LocalControlPlane;
import io.unikernetes.operator.UnikernetesOperator;
import io.unikernetes.operator.config.OperatorConfig;
import io.unikernetes.operator.scheduler.SchedulingPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One cluster, CRDs and operator per test JVM, shared by every IT/E2E class: the local control plane by
 * default, or the cluster of $KUBECONFIG when UNIKERNETES_E2E_USE_KUBECONFIG=true. Each class works in its
 * own namespace with its own agents and nodes.
 */
public final class TestEnvironment {

  /** Namespace of the agents' heartbeat Leases in tests. */
  public static final String NODE_LEASES = "unikernetes";
  /** How long agents started here wait for a silent image server before giving up on a download. */
  public static final Duration IMAGE_FETCH_IDLE_TIMEOUT = Duration.ofSeconds(3);
  private static TestEnvironment instance;

  private final Repository repository;
  private final KubeCluster cluster;
  private final KubernetesClient client;
  private UnikernetesOperator operator;
  private final Path workDir;

  private TestEnvironment(Repository repository, KubeCluster cluster, Path workDir) throws IOException {
    this.repository = repository;
    this.cluster = cluster;
    this.workDir = workDir;
    this.client = cluster.newClient();
    this.operator = startOperator(client);
  }

  /** Leader-election Lease of the tests' operator: an operator process holding it takes over. */
  public static final String OPERATOR_LEASE = "unikernetes-operator-tests";

  private static UnikernetesOperator startOperator(KubernetesClient client) throws IOException {
    return UnikernetesOperator.start(
        new OperatorConfig(true, "default", OPERATOR_LEASE, "test-operator", "127.0.0.1", 0,
            TestEnvironment.NODE_LEASES, Duration.ofSeconds(3), SchedulingPolicy.dense, OperatorConfig.DEFAULT_GUEST_SUBNETS), client,
        UnikernetesOperator.OnLostLeadership.STOP_CONTROLLERS);
  }

  /** Stops this JVM's operator, so a test can run the operator as a process it may kill. */
  public synchronized void pauseOperator() {
    operator.close();
    // Its Lease stays until it expires; the next holder waits for that.
  }

  /** Starts this JVM's operator again after {@link #pauseOperator}. */
  public synchronized void resumeOperator() throws IOException {
    operator = startOperator(client);
  }

  public static synchronized TestEnvironment get() throws IOException, InterruptedException {
    if (instance == null) {
      Repository repository = Repository.locate();
      Path workDir = Files.createTempDirectory("unikernetes-tests");
      KubeCluster cluster = Boolean.parseBoolean(System.getenv("UNIKERNETES_E2E_USE_KUBECONFIG"))
          ? ExternalCluster.fromEnvironment(ControlPlaneBinaries.locate(repository.root()))
          : LocalControlPlane.start(ControlPlaneBinaries.locate(repository.root()), workDir.resolve("control-plane"));
      Crds.install(cluster, repository);
      cluster.kubectl(null, "create", "namespace", NODE_LEASES);
      instance = new TestEnvironment(repository, cluster, workDir);
      Runtime.getRuntime().addShutdownHook(new Thread(instance::shutdown, "test-environment-shutdown"));
    }
    return instance;
  }

  private void shutdown() {
    operator.close();
    client.close();
    cluster.close();
  }

  public KubeCluster cluster() {
    return cluster;
  }

  public KubernetesClient client() {
    return client;
  }

  public Repository repository() {
    return repository;
  }

  /**
   * Waits until this JVM's operator holds as many Unikernels in its cache as the API server lists (its
   * unikernetes_guests gauge counts its scheduler's cache): a test that starts right after another's cleanup
   * otherwise races the scheduler's view of guests just deleted, which still count on their node.
   */
  public void awaitOperatorCaughtUp(Duration timeout) {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    org.awaitility.Awaitility.await().atMost(timeout).ignoreExceptions().until(() -> {
      long listed = client.resources(io.unikernetes.api.v1alpha1.Unikernel.class).inAnyNamespace().list()
          .getItems().size();
      String metrics = http.send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create("http://127.0.0.1:" + operatorHttpPort() + "/metrics")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      long cached = metrics.lines().filter(l -> l.startsWith("unikernetes_guests{"))
          .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
      return listed == cached; // the scheduler's per-node sums are kept in that same cache
    });
  }

  public int operatorHttpPort() {
    return operator.httpPort();
  }

  public Path newWorkDir(String name) throws IOException {
    return Files.createDirectories(workDir.resolve(name));
  }

  public void createNamespace(String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
  }

  /** An agent in this JVM on {@code uri}, registered as {@code node}; close it with {@link #stopAgent}. */
  public UnikernetesAgent startAgent(String node, String uri, int maxGuests, Map<String, String> labels)
      throws IOException {
    return startAgent(node, uri, maxGuests, labels, Duration.ofSeconds(1));
  }

  /**
   * As {@link #startAgent(String, String, int, Map)} with a heartbeat every {@code heartbeat}; the node's
   * Lease lasts four of them. The default 1 s makes a stopped agent's node lost within seconds.
   */
  public UnikernetesAgent startAgent(String node, String uri, int maxGuests, Map<String, String> labels,
      Duration heartbeat) throws IOException {
    return startAgent(node, uri, maxGuests, labels, heartbeat, GuestNetworkConfig.NONE);
  }

  /** As {@link #startAgent(String, String, int, Map, Duration)}, attaching guests to {@code network}. */
  public UnikernetesAgent startAgent(String node, String uri, int maxGuests, Map<String, String> labels,
      Duration heartbeat, GuestNetworkConfig network, UnaryOperator<AgentConfig> customize) throws IOException {
    AgentConfig config = new AgentConfig(node, uri, newWorkDir("agent-" + node), Path.of("/var/log/xen/console"),
        MemorySize.parse("256Mi"), CpuAmount.ZERO, Optional.empty(), CpuAmount.ZERO,
        OptionalInt.of(maxGuests), AgentConfig.DEFAULT_LIBVIRT_PARALLELISM, labels, "127.0.0.1", 0, IMAGE_FETCH_IDLE_TIMEOUT,
        Duration.ofSeconds(20), Duration.ofSeconds(5), NODE_LEASES, heartbeat, network, AgentConfig.DEFAULT_CONSOLE_RETAINED_BYTES, AgentConfig.DEFAULT_CONSOLE_WRITES_PER_SECOND);
    return UnikernetesAgent.start(customize.apply(config), client);
  }

  /** As {@link #startAgent(String, String, int, Map, Duration, GuestNetworkConfig)}, unchanged. */
  public UnikernetesAgent startAgent(String node, String uri, int maxGuests, Map<String, String> labels,
      Duration heartbeat, GuestNetworkConfig network) throws IOException {
    return startAgent(node, uri, maxGuests, labels, heartbeat, network, UnaryOperator.identity());
  }

  /** Stops the agent and removes its XenNode so later tests cannot be scheduled onto it. */
  public void stopAgent(UnikernetesAgent agent, String node) {
    agent.close();
    client.resources(XenNode.class).withName(node).delete();
  }
}
