package io.unikernetes.e2e.scheduling;

import static io.unikernetes.e2e.support.Guests.awaitPhase;
import static io.unikernetes.e2e.support.Guests.guest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.unikernetes.agent.UnikernetesAgent;
import io.unikernetes.api.v1alpha1.ApiGroup;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.XenNode;
import io.fabric8.kubernetes.api.model.Quantity;
import io.unikernetes.api.v1alpha1.spec.GuestResources;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.spec.ResourceRequests;
import io.unikernetes.api.v1alpha1.status.AllocatedResources;
import io.unikernetes.api.v1alpha1.status.Condition;
import io.unikernetes.api.v1alpha1.status.ConditionStatus;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.e2e.support.HelloImage;
import io.unikernetes.e2e.support.TestEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scheduler and agent against the real API server, with agents on libvirt's test driver (nothing boots,
 * every libvirt call is real): binding, phases, unschedulable guests, digest checks, deletion, and
 * concurrent bindings that must not overcommit a node.
 */
class SchedulingIT {

  private static final String NS = "scheduling";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Map<String, String> POOL = Map.of("pool", "scheduling-it");
  private static TestEnvironment env;
  private static KubernetesClient client;
  private static ImageSource hello;
  private final List<String> nodes = new ArrayList<>();
  private final List<UnikernetesAgent> agents = new ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    env = TestEnvironment.get();
    client = env.client();
    env.createNamespace(NS);
    hello = HelloImage.get();
  }

  @AfterAll
  static void tearDown() {
  }

  @AfterEach
  void stopAgents() {
    client.resources(Unikernel.class).inNamespace(NS).delete();
    await().atMost(TIMEOUT).until(() -> client.resources(Unikernel.class).inNamespace(NS).list().getItems().isEmpty());
    for (int i = 0; i < agents.size(); i++) {
      env.stopAgent(agents.get(i), nodes.get(i));
    }
  }

  private UnikernetesAgent agent(String node, int maxGuests) throws Exception {
    UnikernetesAgent agent = env.startAgent(node, "test:///default", maxGuests, POOL);
    agents.add(agent);
    nodes.add(node);
    return agent;
  }

  private Unikernel create(String name, String memory) {
    return client.resource(guest(NS, name, hello, memory, POOL)).create();
  }

  @Test
  void aGuestGoesPendingScheduledRunningAndItsDomainGoesWithIt() throws Exception {
    List<UnikernelPhase> phases = Collections.synchronizedList(new ArrayList<>());
    try (Watch watch = client.resources(Unikernel.class).inNamespace(NS).withName("lifecycle").watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Unikernel resource) {
        UnikernelPhase phase = resource.getStatus() == null ? null : resource.getStatus().getPhase();
        if (phase != null && (phases.isEmpty() || phases.get(phases.size() - 1) != phase)) {
          phases.add(phase);
        }
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    })) {
      create("lifecycle", "32Mi");
      awaitPhase(client, NS, "lifecycle", UnikernelPhase.Pending, TIMEOUT);
      UnikernetesAgent agent = agent("sched-a", 10);
      Unikernel running = awaitPhase(client, NS, "lifecycle", UnikernelPhase.Running, TIMEOUT);

      assertThat(phases).containsSubsequence(UnikernelPhase.Pending, UnikernelPhase.Scheduled, UnikernelPhase.Running);
      assertThat(running.getSpec().getNodeName()).isEqualTo("sched-a");
      assertThat(running.getMetadata().getLabels()).containsEntry(ApiGroup.NODE_LABEL, "sched-a");
      assertThat(running.getMetadata().getFinalizers()).contains(ApiGroup.DOMAIN_FINALIZER);
      assertThat(running.getStatus().getNodeName()).isEqualTo("sched-a");
      assertThat(running.getStatus().getDomainUUID()).isNotBlank();
      assertThat(running.getStatus().getRestartCount()).isZero();
      assertThat(running.getStatus().getObservedGeneration()).isEqualTo(running.getMetadata().getGeneration());
      assertThat(Conditions.isTrue(running.getStatus().getConditions(), ConditionType.Scheduled)).isTrue();
      assertThat(Conditions.isTrue(running.getStatus().getConditions(), ConditionType.Ready)).isTrue();
      assertThat(agent.hypervisor().guests()).extracting(d -> d.uuid())
          .containsExactly(running.getStatus().getDomainUUID());

      client.resource(running).delete();
      await().atMost(TIMEOUT).until(() -> client.resource(running).get() == null);
      assertThat(agent.hypervisor().guests()).isEmpty();
    }
  }

  @Test
  void aGuestNoNodeCanTakeStaysPendingAndSaysWhy() throws Exception {
    agent("sched-b", 10);
    await().atMost(TIMEOUT).until(() -> client.resources(XenNode.class).withName("sched-b").get() != null);
    create("too-big", "200Gi");
    Unikernel pending = awaitPhase(client, NS, "too-big", UnikernelPhase.Pending, TIMEOUT);
    Condition scheduled = Conditions.find(pending.getStatus().getConditions(), ConditionType.Scheduled).orElseThrow();
    assertThat(scheduled.getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(scheduled.getReason()).isEqualTo("Unschedulable");
    assertThat(scheduled.getMessage()).contains("sched-b: insufficient memory (requested 204800Mi");
    assertThat(pending.getSpec().getNodeName()).isNull();
    await().atMost(TIMEOUT).until(() -> eventsOf("too-big").stream()
        .anyMatch(e -> "Unschedulable".equals(e.getReason()) && "Warning".equals(e.getType())));

    var wrongSelector = guest(NS, "elsewhere", hello, "32Mi", Map.of("pool", "none"));
    client.resource(wrongSelector).create();
    Unikernel unmatched = awaitPhase(client, NS, "elsewhere", UnikernelPhase.Pending, TIMEOUT);
    assertThat(Conditions.find(unmatched.getStatus().getConditions(), ConditionType.Scheduled).orElseThrow().getMessage())
        .contains("sched-b: nodeSelector pool=none not matched");
  }

  @Test
  void aCordonedNodeTakesNoNewGuestsButKeepsItsOwn() throws Exception {
    agent("sched-f", 10);
    create("before-cordon", "32Mi");
    Unikernel running = awaitPhase(client, NS, "before-cordon", UnikernelPhase.Running, TIMEOUT);
    var cordon = env.cluster().kubectl(null, "patch", "xennode", "sched-f", "--type=merge",
        "-p", "{\"spec\":{\"unschedulable\":true}}");
    assertThat(cordon.exitCode()).as(cordon.output()).isZero();
    await().atMost(TIMEOUT).until(() -> client.resources(XenNode.class).withName("sched-f").get().getSpec().isCordoned());
    create("after-cordon", "32Mi");
    Unikernel pending = awaitPhase(client, NS, "after-cordon", UnikernelPhase.Pending, TIMEOUT);
    assertThat(Conditions.find(pending.getStatus().getConditions(), ConditionType.Scheduled).orElseThrow().getMessage())
        .contains("sched-f: unschedulable (cordoned)");
    assertThat(Guests.phase(client, NS, "before-cordon")).isEqualTo(UnikernelPhase.Running);

    env.cluster().kubectl(null, "patch", "xennode", "sched-f", "--type=merge", "-p", "{\"spec\":{\"unschedulable\":false}}");
    awaitPhase(client, NS, "after-cordon", UnikernelPhase.Running, TIMEOUT);
    assertThat(running.getSpec().getNodeName()).isEqualTo("sched-f");
  }

  /**
   * The scheduler also sees deletions now (for guests of deleted XenNodes): a guest deleted and created again
   * under its name the moment it is gone, five times, is bound and runs each time.
   */
  @Test
  void aGuestDeletedAndCreatedAgainUnderItsNameIsBoundAgain() throws Exception {
    agent("sched-r", 10);
    for (int round = 0; round < 5; round++) {
      Unikernel before = create("again", "32Mi");
      awaitPhase(client, NS, "again", UnikernelPhase.Running, TIMEOUT);
      var deleted = env.cluster().kubectl(null, "delete", "-n", NS, "unikernel/again", "--wait=true");
      assertThat(deleted.exitCode()).as(deleted.output()).isZero();
      Unikernel after = create("again", "32Mi");
      assertThat(after.getMetadata().getUid()).isNotEqualTo(before.getMetadata().getUid());
      assertThat(awaitPhase(client, NS, "again", UnikernelPhase.Running, TIMEOUT).getSpec().getNodeName())
          .isEqualTo("sched-r");
      client.resource(after).delete();
      await().atMost(TIMEOUT).until(() -> Guests.get(client, NS, "again") == null);
    }
  }

  @Test
  void aDigestMismatchFailsTheGuestWithoutBootingIt() throws Exception {
    UnikernetesAgent agent = agent("sched-c", 10);
    var tampered = guest(NS, "tampered", new ImageSource(hello.getUrl(), "0".repeat(63) + "1"), "32Mi", POOL);
    client.resource(tampered).create();
    Unikernel failed = awaitPhase(client, NS, "tampered", UnikernelPhase.Failed, TIMEOUT);
    Condition ready = Conditions.find(failed.getStatus().getConditions(), ConditionType.Ready).orElseThrow();
    assertThat(ready.getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(ready.getReason()).isEqualTo("ImageDigestMismatch");
    assertThat(ready.getMessage()).contains("requires " + "0".repeat(63) + "1");
    assertThat(agent.hypervisor().guests()).isEmpty();
    assertThat(eventsOf("tampered")).anyMatch(e -> "ImageDigestMismatch".equals(e.getReason()));
  }

  @Test
  void aGuestThatGoesHandsItsPlaceToAPendingOne() throws Exception {
    agent("sched-g", 1);
    create("holder", "32Mi");
    awaitPhase(client, NS, "holder", UnikernelPhase.Running, TIMEOUT);
    create("next", "32Mi");
    Unikernel pending = awaitPhase(client, NS, "next", UnikernelPhase.Pending, TIMEOUT);
    assertThat(Conditions.find(pending.getStatus().getConditions(), ConditionType.Scheduled).orElseThrow().getMessage())
        .contains("sched-g: too many guests (max 1)");
    client.resource(Guests.get(client, NS, "holder")).delete();
    Instant deleted = Instant.now();
    // Woken by the guest's leaving (the scheduler's cache sees it go), not by the 30 s safety-net retry: the
    // whole path takes about a second on the test driver, so a third of the retry leaves a wide margin.
    awaitPhase(client, NS, "next", UnikernelPhase.Running, Duration.ofSeconds(20));
    System.out.printf("freed place -> pending guest Running: %d ms%n",
        Duration.between(deleted, Instant.now()).toMillis());
  }

  @Test
  void concurrentBindingsNeverOvercommitANode() throws Exception {
    agent("sched-d", 4);
    agent("sched-e", 4);
    await().atMost(TIMEOUT).until(() -> client.resources(XenNode.class).withLabels(POOL).list().getItems().size() == 2);
    IntStream.range(0, 12).parallel().forEach(i -> create("burst-" + i, "32Mi"));
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(phases().getOrDefault(UnikernelPhase.Running, 0L))
        .as("guests by phase, node and Scheduled message: %s", guestsAtAGlance()).isEqualTo(8L));
    Thread.sleep(2000); // a wrong extra binding would show up by now
    List<Unikernel> all = client.resources(Unikernel.class).inNamespace(NS).list().getItems();
    Map<String, Long> perNode = all.stream().filter(u -> u.getSpec().getNodeName() != null)
        .collect(Collectors.groupingBy(u -> u.getSpec().getNodeName(), Collectors.counting()));
    assertThat(perNode).containsExactlyInAnyOrderEntriesOf(Map.of("sched-d", 4L, "sched-e", 4L));
    assertThat(all.stream().filter(u -> u.getStatus().getPhase() == UnikernelPhase.Pending)).hasSize(4);
  }

  @Test
  void cpuRequestsAndVcpusAreAccountedAndTheNodeShowsWhatItsGuestsRequest() throws Exception {
    agent("sched-g", 100);
    // libvirt's test driver: 16 CPUs and 3 GiB; the test agent reserves no CPU and 256Mi; no per-guest overhead.
    XenNode registered = await().atMost(TIMEOUT).until(() -> client.resources(XenNode.class).withName("sched-g").get(),
        n -> n != null && n.getStatus() != null && n.getStatus().getAllocatable() != null);
    assertThat(registered.getStatus().getCapacity().getCpu()).isEqualTo("16");
    assertThat(registered.getStatus().getAllocatable().getCpu()).isEqualTo("16");
    assertThat(registered.getStatus().getAllocatable().getMemory()).isEqualTo("2816Mi");
    assertThat(registered.getStatus().getGuestOverhead().getMemory()).isEqualTo("0Mi");

    // Ten guests of 5 CPUs each, created at once: exactly three fit in 16 CPUs, whatever the interleaving.
    IntStream.range(0, 10).parallel().forEach(i -> {
      Unikernel guest = guest(NS, "cpu-" + i, hello, "32Mi", POOL);
      guest.getSpec().setResources(new GuestResources(new ResourceRequests(new Quantity("5"))));
      client.resource(guest).create();
    });
    await().atMost(TIMEOUT).until(() -> phases().getOrDefault(UnikernelPhase.Running, 0L) == 3
        && phases().getOrDefault(UnikernelPhase.Pending, 0L) == 7);
    Unikernel pending = client.resources(Unikernel.class).inNamespace(NS).list().getItems().stream()
        .filter(u -> u.getStatus().getPhase() == UnikernelPhase.Pending).findFirst().orElseThrow();
    assertThat(Conditions.find(pending.getStatus().getConditions(), ConditionType.Scheduled).orElseThrow().getMessage())
        .contains("sched-g: insufficient cpu (requested 5, free 1)");

    Unikernel wide = guest(NS, "wide", hello, "32Mi", POOL);
    wide.getSpec().setVcpus(32);
    client.resource(wide).create();
    Unikernel tooWide = awaitPhase(client, NS, "wide", UnikernelPhase.Pending, TIMEOUT);
    assertThat(Conditions.find(tooWide.getStatus().getConditions(), ConditionType.Scheduled).orElseThrow().getMessage())
        .contains("sched-g: the guest's 32 vCPUs exceed the host's 16 CPUs");

    // status.allocated follows the bound guests, and kubectl describe shows it next to allocatable.
    await().atMost(TIMEOUT).until(() -> new AllocatedResources("15", "96Mi", 3)
        .equals(client.resources(XenNode.class).withName("sched-g").get().getStatus().getAllocated()));
    var describe = env.cluster().kubectl(null, "describe", "xennode", "sched-g");
    assertThat(describe.stdout()).contains("Allocated:").contains("Allocatable:").contains("Guest Overhead:");
    var columns = env.cluster().kubectl(null, "get", "xennode", "sched-g");
    assertThat(columns.stdout()).contains("GUESTS", "MEM-REQUESTED", "CPU-REQUESTED", "2816Mi", "96Mi");

    client.resources(Unikernel.class).inNamespace(NS).delete();
    await().atMost(TIMEOUT).until(() -> new AllocatedResources("0", "0Mi", 0)
        .equals(client.resources(XenNode.class).withName("sched-g").get().getStatus().getAllocated()));
  }

  @Test
  void aGuestWhoseCpuIsAnIntegerIsBoundAndRuns() throws Exception {
    agent("sched-h", 10);
    // Stored as the integer 2; the operator writes the guest back with "2": not a change of resources.
    String manifest = """
        apiVersion: unikernetes.io/v1alpha1
        kind: Unikernel
        metadata:
          name: integer-cpu
          namespace: %s
        spec:
          image: {url: "%s", sha256: %s}
          memory: 32Mi
          nodeSelector: {pool: scheduling-it}
          resources:
            requests:
              cpu: 2
        """.formatted(NS, hello.getUrl(), hello.getSha256());
    var applied = env.cluster().kubectl(manifest, "apply", "-f", "-");
    assertThat(applied.exitCode()).as(applied.output()).isZero();
    Unikernel running = awaitPhase(client, NS, "integer-cpu", UnikernelPhase.Running, TIMEOUT);
    assertThat(running.getSpec().getNodeName()).isEqualTo("sched-h");
    assertThat(running.getSpec().cpuRequest().millis()).isEqualTo(2000);
  }

  private static Map<UnikernelPhase, Long> phases() {
    return client.resources(Unikernel.class).inNamespace(NS).list().getItems().stream()
        .filter(u -> u.getStatus() != null && u.getStatus().getPhase() != null)
        .collect(Collectors.groupingBy(u -> u.getStatus().getPhase(), Collectors.counting()));
  }

  /** One line per guest, for a failure message: what a wait saw when it gave up. */
  private static List<String> guestsAtAGlance() {
    return client.resources(Unikernel.class).inNamespace(NS).list().getItems().stream()
        .map(u -> u.getMetadata().getName() + " " + (u.getStatus() == null ? null : u.getStatus().getPhase()) + " "
            + u.getSpec().getNodeName() + " " + (u.getStatus() == null ? "" : Conditions.find(
                u.getStatus().getConditions(), ConditionType.Scheduled).map(Condition::getMessage).orElse("")))
        .toList();
  }

  private static List<Event> eventsOf(String name) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }
}
