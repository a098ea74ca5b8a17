package io.unikernetes.e2e.scaletozero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.unikernetes.api.v1alpha1.UnikernelDeployment;
import io.unikernetes.api.v1alpha1.spec.ScaleToZero;
import io.unikernetes.common.events.EventRecorder;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.e2e.support.HelloImage;
import io.unikernetes.e2e.support.TestEnvironment;
import io.unikernetes.operator.activator.ActivatorRoute;
import io.unikernetes.operator.activator.RouteKey;
import io.unikernetes.operator.scaletozero.ActivityLog;
import io.unikernetes.operator.scaletozero.DeploymentKey;
import io.unikernetes.operator.scaletozero.ScaleToZeroMetrics;
import io.unikernetes.operator.scaletozero.Wakes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The activator's wakes against the real API server's /scale subresource, without guests or sockets (the
 * activator calls these methods on its event loops; ScaleToZeroE2E runs the whole chain): concurrent first
 * requests make one scale-up, a replica count set in between wins, a deleted deployment ends its wake, and
 * a Ready guest records the wake. The deployments' guests stay Pending: no node carries their pool.
 */
class WakesIT {

  private static final String NS = "wakes-it";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static KubernetesClient client;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Wakes wakes;

  @BeforeAll
  static void setUp() throws Exception {
    TestEnvironment env = TestEnvironment.get();
    client = env.client();
    env.createNamespace(NS);
  }

  @BeforeEach
  void newWakes() {
    Clock clock = Clock.systemUTC();
    ActivityLog activity = new ActivityLog();
    wakes = new Wakes(client, activity, new ScaleToZeroMetrics(registry),
        new EventRecorder(client, "wakes-it", "wakes-it", clock), clock);
  }

  @AfterEach
  void cleanUp() {
    wakes.close();
    client.resources(UnikernelDeployment.class).inNamespace(NS).delete();
    await().atMost(TIMEOUT).until(() -> client.resources(UnikernelDeployment.class).inNamespace(NS).list()
        .getItems().isEmpty());
  }

  private static void deployment(String name, int replicas) {
    UnikernelDeployment deployment = Guests.deployment(NS, name, replicas, HelloImage.get(), "32Mi",
        Map.of("pool", "wakes-it-nowhere"));
    // Never idle within the test: only the wakes under test change its replicas.
    deployment.getSpec().setScaleToZero(new ScaleToZero(3600, 30));
    client.resource(deployment).create();
  }

  private static ActivatorRoute route(String deployment) {
    return new ActivatorRoute(new RouteKey(NS, deployment, "http"), true, Set.of(deployment), Duration.ofSeconds(30));
  }

  private static int replicas(String name) {
    return client.resources(UnikernelDeployment.class).inNamespace(NS).withName(name).get().getSpec().getReplicas();
  }

  private double wakesCounted(String name) {
    var counter = registry.find("unikernetes.activator.wakes").tag("deployment", name).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void eightConcurrentFirstRequestsScaleFromZeroToOneOnce() throws Exception {
    deployment("burst", 0);
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Thread thread = new Thread(() -> {
        try {
          start.await();
          wakes.held(route("burst"));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    await().atMost(TIMEOUT).until(() -> replicas("burst") == 1);
    await().atMost(TIMEOUT).until(() -> wakesCounted("burst") == 1);
    assertThat(wakes.waking(new DeploymentKey(NS, "burst"))).isTrue();
    wakes.held(route("burst")); // a later request, while it wakes, asks for nothing more
    Thread.sleep(500);
    assertThat(replicas("burst")).isEqualTo(1);
    assertThat(wakesCounted("burst")).isEqualTo(1);
  }

  @Test
  void aReplicaCountSetBeforeTheWakeWins() throws Exception {
    deployment("scaled", 3);
    wakes.held(route("scaled"));
    Thread.sleep(500); // the wake runs on its own thread
    assertThat(replicas("scaled")).isEqualTo(3);
    assertThat(wakesCounted("scaled")).isZero();
  }

  @Test
  void aDeletedDeploymentEndsItsWake() {
    wakes.held(route("gone"));
    await().atMost(TIMEOUT).until(() -> !wakes.waking(new DeploymentKey(NS, "gone")));
    assertThat(wakesCounted("gone")).isZero();
  }

  @Test
  void aReadyGuestEndsTheWakeAndRecordsItUntilTheDeploymentGoes() {
    deployment("ready", 0);
    DeploymentKey key = new DeploymentKey(NS, "ready");
    wakes.held(route("ready"));
    await().atMost(TIMEOUT).until(() -> replicas("ready") == 1);
    wakes.ready(route("ready"), Set.of("ready"));
    assertThat(wakes.waking(key)).isFalse();
    var record = wakes.lastWake(key).orElseThrow();
    assertThat(record.getLatencyMilliseconds()).isNotNegative();
    assertThat(registry.find("unikernetes.activator.wake.latency").timer().count()).isEqualTo(1);
    wakes.retain(k -> !k.equals(key)); // deleted: the operator's sweep drops its record
    assertThat(wakes.lastWake(key)).isEmpty();
  }
}
