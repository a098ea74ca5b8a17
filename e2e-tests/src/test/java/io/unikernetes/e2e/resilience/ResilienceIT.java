package io.unikernetes.e2e.resilience;

import static io.unikernetes.e2e.support.Guests.awaitPhase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.agent.UnikernetesAgent;
import io.unikernetes.agent.hypervisor.GuestIdentity;
import io.unikernetes.api.v1alpha1.ApiGroup;
import io.unikernetes.api.v1alpha1.LabelValues;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.BootMode;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.status.Condition;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.e2e.support.HelloImage;
import io.unikernetes.e2e.support.TestEnvironment;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What real clusters do to guests, against the real API server and an agent on libvirt's test driver: names
 * as long as the API allows, a host name longer than a label value, label edits, image servers that stall,
 * images that can never boot.
 */
class ResilienceIT {

  private static final String NS = "resilience";
  /** A real host FQDN of 69 characters: longer than a label value (63). */
  private static final String LONG_NODE = "hypervisor-rack-17-slot-04.compute.eu-central-1.region.example.org.eu";
  private static final Map<String, String> POOL = Map.of("pool", "resilience");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static TestEnvironment env;
  private static KubernetesClient client;
  private static UnikernetesAgent agent;
  private static HttpServer stallingServer;
  private static final CountDownLatch RELEASE_STALLED = new CountDownLatch(1);

  @BeforeAll
  static void setUp() throws Exception {
    env = TestEnvironment.get();
    client = env.client();
    env.createNamespace(NS);
    agent = env.startAgent(LONG_NODE, "test:///default", 16, POOL);
    // Sends headers and a few bytes of an image, then nothing until the test class ends.
    stallingServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stallingServer.setExecutor(Executors.newCachedThreadPool());
    stallingServer.createContext("/", exchange -> {
      if (exchange.getRequestURI().getPath().equals("/slow-hello.elf")) {
        byte[] hello = java.nio.file.Files.readAllBytes(env.repository().helloGuest());
        try {
          Thread.sleep(2000); // long enough for the test to set up the clash below
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        exchange.sendResponseHeaders(200, hello.length);
        exchange.getResponseBody().write(hello);
        exchange.close();
        return;
      }
      if (exchange.getRequestURI().getPath().equals("/not-a-kernel.sh")) {
        byte[] script = "#!/bin/sh\necho this is not a kernel\n".getBytes(StandardCharsets.US_ASCII);
        exchange.sendResponseHeaders(200, script.length);
        exchange.getResponseBody().write(script);
        exchange.close();
        return;
      }
      exchange.sendResponseHeaders(200, 1 << 20);
      exchange.getResponseBody().write("\u007fELF".getBytes(StandardCharsets.US_ASCII));
      exchange.getResponseBody().flush();
      try {
        RELEASE_STALLED.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    stallingServer.start();
  }

  @AfterAll
  static void tearDown() {
    RELEASE_STALLED.countDown();
    client.resources(Unikernel.class).inNamespace(NS).delete();
    await().atMost(TIMEOUT).until(() -> client.resources(Unikernel.class).inNamespace(NS).list().getItems().isEmpty());
    env.stopAgent(agent, LONG_NODE);
    stallingServer.stop(0);
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + stallingServer.getAddress().getPort() + path;
  }

  private static Unikernel create(String name, ImageSource image) {
    return client.resource(Guests.guest(NS, name, image, "32Mi", POOL)).create();
  }

  private static Condition ready(Unikernel guest) {
    return Conditions.find(guest.getStatus() == null ? null : guest.getStatus().getConditions(), ConditionType.Ready)
        .orElseGet(Condition::new);
  }

  private static boolean hasDomain(Unikernel guest) {
    return agent.hypervisor().find(new GuestIdentity(guest.getMetadata().getUid(), guest.getMetadata().getNamespace(),
        guest.getMetadata().getName(), LONG_NODE)).isPresent();
  }

  @Test
  void aHostNameLongerThanALabelValueRegistersAndRunsGuests() {
    XenNode node = client.resources(XenNode.class).withName(LONG_NODE).get();
    assertThat(node.getMetadata().getLabels()).containsEntry(ApiGroup.HOSTNAME_LABEL, LabelValues.of(LONG_NODE));
    String name = "n".repeat(240); // a valid Unikernel name of 240 characters
    create(name, HelloImage.get());
    Unikernel running = awaitPhase(client, NS, name, UnikernelPhase.Running, TIMEOUT);
    assertThat(running.getStatus().getNodeName()).isEqualTo(LONG_NODE);
    assertThat(running.getMetadata().getLabels()).containsEntry(ApiGroup.NODE_LABEL, LabelValues.of(LONG_NODE));
    assertThat(hasDomain(running)).isTrue();
    await().atMost(TIMEOUT).until(() -> client.v1().events().inNamespace(NS).list().getItems().stream()
        .anyMatch(e -> name.equals(e.getInvolvedObject().getName()) && "Running".equals(e.getReason())));
  }

  @Test
  void removingTheNodeLabelNeitherDestroysNorMovesAGuest() throws Exception {
    create("labelled", HelloImage.get());
    Unikernel before = awaitPhase(client, NS, "labelled", UnikernelPhase.Running, TIMEOUT);
    var removed = env.cluster().kubectl(null, "label", "-n", NS, "unikernel/labelled", ApiGroup.NODE_LABEL + "-");
    assertThat(removed.exitCode()).as(removed.output()).isZero();
    Thread.sleep(12_000); // two of the agent's resyncs (5 s) and the orphan sweep
    Unikernel after = Guests.get(client, NS, "labelled");
    assertThat(hasDomain(after)).isTrue();
    assertThat(after.getStatus().getPhase()).isEqualTo(UnikernelPhase.Running);
    assertThat(after.getStatus().getDomainUUID()).isEqualTo(before.getStatus().getDomainUUID());
    assertThat(after.getStatus().getRestartCount()).isZero();
  }

  @Test
  void aStalledDownloadTimesOutIsRetriedAndNeverHoldsUpDeletion() throws Exception {
    create("stalled", new ImageSource(url("/stalls.elf"), "ab".repeat(32)));
    Duration idle = TestEnvironment.IMAGE_FETCH_IDLE_TIMEOUT;
    await().atMost(idle.multipliedBy(5)).until(() -> {
      Unikernel guest = Guests.get(client, NS, "stalled");
      return String.valueOf(ready(guest).getMessage()).contains("stalled: no data for " + idle.toSeconds() + " s after 4 bytes")
          && String.valueOf(ready(guest).getMessage()).contains("retrying in");
    });
    assertThat(Guests.get(client, NS, "stalled").getStatus().getPhase()).isEqualTo(UnikernelPhase.Booting);
    // the retry runs into the same stall; deletion must not wait for it
    await().atMost(Duration.ofSeconds(30)).until(() -> String.valueOf(ready(Guests.get(client, NS, "stalled"))
        .getMessage()).contains("(attempt 2)"));
    Instant deleting = Instant.now();
    var deleted = env.cluster().kubectl(null, "delete", "-n", NS, "unikernel/stalled", "--timeout=30s");
    assertThat(deleted.exitCode()).as(deleted.output()).isZero();
    System.out.printf("delete of a guest whose image download is stalled: %d ms%n",
        Duration.between(deleting, Instant.now()).toMillis());
  }

  @Test
  void anImageThatIsNotAKernelFailsWithoutDefiningADomain() throws IOException {
    byte[] script = "#!/bin/sh\necho this is not a kernel\n".getBytes(StandardCharsets.US_ASCII);
    create("script", new ImageSource(url("/not-a-kernel.sh"), io.unikernetes.agent.images.Sha256.of(script)));
    Unikernel failed = awaitPhase(client, NS, "script", UnikernelPhase.Failed, TIMEOUT);
    assertThat(ready(failed).getReason()).isEqualTo("ImageNotBootable");
    assertThat(ready(failed).getMessage()).contains("has no PVH note, Xen PV notes, multiboot header or Linux boot "
        + "header; it cannot boot as pvh, and it boots in no mode on this TEST node");
    assertThat(hasDomain(failed)).isFalse();
  }

  @Test
  void aXenPvImageAskedToBootAsPvhOnAQemuStyleNodeFailsNamingTheModesItHas() {
    Unikernel guest = Guests.guest(NS, "pv-as-pvh", HelloImage.pv(), "32Mi", POOL);
    guest.getSpec().setBootMode(BootMode.PVH);
    client.resource(guest).create();
    Unikernel failed = awaitPhase(client, NS, "pv-as-pvh", UnikernelPhase.Failed, TIMEOUT);
    assertThat(ready(failed).getReason()).isEqualTo("ImageNotBootable");
    assertThat(ready(failed).getMessage()).contains("has Xen PV notes; it cannot boot as pvh");
    assertThat(hasDomain(failed)).isFalse();
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .anyMatch(e -> "pv-as-pvh".equals(e.getInvolvedObject().getName()) && "ImageNotBootable".equals(e.getReason()));
  }

  @Test
  void whenLibvirtRefusesADomainTheGuestBacksOffVisiblyAndBootsOnceItCan() throws Exception {
    byte[] hello = java.nio.file.Files.readAllBytes(env.repository().helloGuest());
    Unikernel guest = create("refused", new ImageSource(url("/slow-hello.elf"),
        io.unikernetes.agent.images.Sha256.of(hello)));
    GuestIdentity identity = new GuestIdentity(guest.getMetadata().getUid(), NS, "refused", LONG_NODE);
    String name = io.unikernetes.agent.hypervisor.DomainNames.of(identity);
    // Someone else's domain already holds the name (no Unikernetes metadata: not ours to touch).
    try {
      agent.hypervisor().defineAndStart("<domain type='test'><name>" + name + "</name><memory unit='KiB'>8192</memory>"
          + "<os><type arch='x86_64'>hvm</type></os></domain>");
    } catch (java.util.NoSuchElementException expected) {
      // defined and started; the agent's view lists only Unikernetes domains, so it has nothing to return
    }
    await().atMost(TIMEOUT).until(() -> String.valueOf(ready(Guests.get(client, NS, "refused")).getMessage())
        .contains("attempt 1, retrying in 10 s"));
    Unikernel backingOff = Guests.get(client, NS, "refused");
    assertThat(backingOff.getStatus().getPhase()).isEqualTo(UnikernelPhase.Booting);
    assertThat(ready(backingOff).getReason()).isEqualTo("DomainError");
    assertThat(ready(backingOff).getMessage()).contains("already exists");
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .anyMatch(e -> "refused".equals(e.getInvolvedObject().getName()) && "DomainError".equals(e.getReason()));
    assertThat(hasDomain(backingOff)).isFalse(); // nothing of ours was left defined

    agent.hypervisor().destroyAndUndefine(name); // the clash is resolved
    Unikernel running = awaitPhase(client, NS, "refused", UnikernelPhase.Running, TIMEOUT);
    assertThat(hasDomain(running)).isTrue();
    assertThat(running.getStatus().getRestartCount()).isZero();
  }
}
