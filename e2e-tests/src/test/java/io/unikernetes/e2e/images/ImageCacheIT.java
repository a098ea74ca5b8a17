package io.unikernetes.e2e.images;

import static io.unikernetes.e2e.support.Guests.awaitPhase;
import static io.unikernetes.e2e.support.Guests.readyCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.agent.UnikernetesAgent;
import io.unikernetes.agent.network.GuestNetworkConfig;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import io.unikernetes.api.v1alpha1.status.Condition;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.e2e.support.TestEnvironment;
import io.unikernetes.local.artifacts.GuestImageServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bounded image cache with guests running: an agent (libvirt's test driver) whose cache may hold 2.5 MiB,
 * images of 1 MiB each (the hello kernel, padded with a mark of its own), served over loopback HTTP.
 */
class ImageCacheIT {

  private static final String NS = "image-cache";
  private static final String NODE = "cache-node";
  private static final Map<String, String> POOL = Map.of("pool", "image-cache");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static TestEnvironment env;
  private static KubernetesClient client;
  private static UnikernetesAgent agent;
  private static GuestImageServer server;
  private static Path imageDir;
  private static Path served;

  @BeforeAll
  static void setUp() throws Exception {
    env = TestEnvironment.get();
    client = env.client();
    env.createNamespace(NS);
    served = env.newWorkDir("cache-images");
    byte[] kernel = Files.readAllBytes(env.repository().helloGuest());
    byte[] big = Arrays.copyOf(kernel, 8 << 20);
    Files.write(served.resolve("big.elf"), big);
    for (char mark : "abcde".toCharArray()) {
      byte[] image = Arrays.copyOf(kernel, 1 << 20);
      image[image.length - 1] = (byte) mark; // trailing bytes do not stop the kernel booting
      Files.write(served.resolve(mark + ".elf"), image);
    }
    server = GuestImageServer.serve(served);
    AtomicReference<Path> images = new AtomicReference<>();
    agent = env.startAgent(NODE, "test:///default", 16, POOL, Duration.ofSeconds(10), GuestNetworkConfig.NONE,
        config -> {
          images.set(config.imageDir());
          return config.withImageCacheSize(MemorySize.parse("2560Ki"));
        });
    imageDir = images.get();
  }

  @AfterAll
  static void tearDown() {
    client.resources(Unikernel.class).inNamespace(NS).delete();
    await().atMost(TIMEOUT).until(() -> client.resources(Unikernel.class).inNamespace(NS).list().getItems().isEmpty());
    env.stopAgent(agent, NODE);
    server.close();
  }

  private static ImageSource image(char mark) throws Exception {
    return new ImageSource(server.urlOf(mark + ".elf"), GuestImageServer.sha256Of(served.resolve(mark + ".elf")));
  }

  private static Path cached(char mark) throws Exception {
    return imageDir.resolve(image(mark).getSha256() + ".elf");
  }

  private static void run(String name, char mark) throws Exception {
    client.resource(Guests.guest(NS, name, image(mark), "32Mi", POOL)).create();
    awaitPhase(client, NS, name, UnikernelPhase.Running, TIMEOUT);
  }

  private static void delete(String name) {
    client.resources(Unikernel.class).inNamespace(NS).withName(name).delete();
    await().atMost(TIMEOUT).until(() -> Guests.get(client, NS, name) == null);
  }

  private static Optional<Condition> diskPressure() {
    XenNode node = client.resources(XenNode.class).withName(NODE).get();
    return Conditions.find(node.getStatus().getConditions(), ConditionType.DiskPressure);
  }

  private static String metrics() throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort()
        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
  }

  /**
   * A file system that fills up: the agent's image directory is a 6 MiB tmpfs and the image 8 MiB. The download
   * hits ENOSPC; the guest waits with DiskPressure, the XenNode says so, no partial file stays, no domain is made.
   * Nothing can be freed here, so the pressure ends after ImageCacheCollector.FULL_FOR (30 s) once no guest needs
   * the image any more.
   */
  @Test
  void aFullFileSystemIsDiskPressureOnTheGuestAndTheNodeNotAStackTrace() throws Exception {
    String node = "full-disk-node";
    AtomicReference<Path> images = new AtomicReference<>();
    UnikernetesAgent small = env.startAgent(node, "test:///default", 16, Map.of("pool", "full-disk"),
        Duration.ofSeconds(10), GuestNetworkConfig.NONE, config -> {
          images.set(config.imageDir());
          mountTmpfs(config.imageDir(), "6m");
          return config;
        });
    try {
      ImageSource bigImage = new ImageSource(server.urlOf("big.elf"), GuestImageServer.sha256Of(served.resolve("big.elf")));
      client.resource(Guests.guest(NS, "too-big", bigImage, "32Mi", Map.of("pool", "full-disk"))).create();
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(readyCondition(client, NS, "too-big"))
          .hasValueSatisfying(c -> {
            assertThat(c.getReason()).as(c.getMessage()).isEqualTo("DiskPressure");
            assertThat(c.getMessage()).contains("No space left on device");
          }));
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Conditions.find(client.resources(XenNode.class)
          .withName(node).get().getStatus().getConditions(), ConditionType.DiskPressure)).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).hasToString("True");
            assertThat(c.getMessage()).contains("is full").contains("No space left on device");
          }));
      Unikernel waiting = Guests.get(client, NS, "too-big");
      assertThat(waiting.getStatus().getPhase()).isEqualTo(UnikernelPhase.Booting);
      assertThat(waiting.getStatus().getDomainUUID()).isNull();
      try (var files = Files.list(images.get())) {
        assertThat(files.filter(f -> f.toString().endsWith(".partial"))).isEmpty();
      }

      delete("too-big"); // nothing left that needs the room: the pressure ends when its 30 s are up
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Conditions.find(client.resources(XenNode.class)
          .withName(node).get().getStatus().getConditions(), ConditionType.DiskPressure))
          .hasValueSatisfying(c -> assertThat(c.getStatus()).hasToString("False")));
    } finally {
      env.stopAgent(small, node);
      new ProcessBuilder("umount", images.get().toString()).inheritIO().start().waitFor();
    }
  }

  private static void mountTmpfs(Path directory, String size) {
    try {
      Files.createDirectories(directory);
      Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", directory.toString())
          .inheritIO().start();
      assertThat(mount.waitFor()).as("mount a tmpfs on " + directory + " (the tests run as root)").isZero();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void unusedImagesAreEvictedLeastRecentlyUsedFirstAndImagesInUseBeyondTheBoundAreDiskPressure() throws Exception {
    run("uses-a", 'a');
    run("used-b", 'b');
    delete("used-b");
    run("uses-c", 'c'); // a, b, c: 3 MiB over 2.5; b is the one no guest uses
    await().atMost(TIMEOUT).until(() -> !Files.exists(cached('b')));
    assertThat(cached('a')).exists(); // the least recently used, but a guest runs from it
    assertThat(cached('c')).exists();
    // (The agent may briefly count b as in use, so the condition may flip before b goes: wait for it.)
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(diskPressure())
        .hasValueSatisfying(c -> assertThat(c.getStatus()).hasToString("False")));

    run("uses-d", 'd'); // a, c, d: every one in use, over the bound
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(diskPressure()).hasValueSatisfying(c -> {
      assertThat(c.getStatus()).hasToString("True");
      assertThat(c.getMessage()).contains("of its 2.5 MiB bound (--image-cache-size)");
    }));
    // A guest pinned to the node (bound whatever its taints) waits for room; the scheduler sends no new guest
    // there, as Kubernetes keeps Pods off a Node tainted node.kubernetes.io/disk-pressure.
    Unikernel pinned = Guests.guest(NS, "pinned-e", image('e'), "32Mi", POOL);
    pinned.getSpec().setNodeName(NODE);
    client.resource(pinned).create();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(readyCondition(client, NS, "pinned-e"))
        .hasValueSatisfying(c -> assertThat(c.getReason()).as(c.getMessage()).isEqualTo("DiskPressure")));
    client.resource(Guests.guest(NS, "unscheduled-e", image('e'), "32Mi", POOL)).create();
    assertThat(Guests.phase(client, NS, "pinned-e")).isEqualTo(UnikernelPhase.Booting);
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Conditions.find(Guests.get(client, NS, "unscheduled-e")
        .getStatus().getConditions(), ConditionType.Scheduled)).hasValueSatisfying(c -> {
          assertThat(c.getStatus()).hasToString("False");
          assertThat(c.getMessage()).contains("node.kubernetes.io/disk-pressure");
        }));
    assertThat(cached('e')).doesNotExist();

    delete("uses-c");
    delete("uses-d"); // room again: c and d are evicted as e comes in
    awaitPhase(client, NS, "pinned-e", UnikernelPhase.Running, TIMEOUT);
    awaitPhase(client, NS, "unscheduled-e", UnikernelPhase.Running, TIMEOUT);
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(diskPressure())
        .hasValueSatisfying(c -> assertThat(c.getStatus()).hasToString("False")));
    assertThat(cached('a')).exists();
    assertThat(cached('e')).exists();
    try (var partials = Files.newDirectoryStream(imageDir, "*.partial")) {
      assertThat(partials).isEmpty();
    }
    String metrics = metrics();
    assertThat(metrics).contains("unikernetes_image_cache_size_bytes").contains("unikernetes_image_cache_limit_bytes 2621440.0")
        .containsPattern("unikernetes_image_cache_evictions_total [2-9]")
        .containsPattern("unikernetes_image_cache_misses_total [5-9]")
        .containsPattern("unikernetes_image_cache_hits_total [1-9]");
  }
}
