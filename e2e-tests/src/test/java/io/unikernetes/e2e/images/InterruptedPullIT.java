package io.unikernetes.e2e.images;

import static io.unikernetes.e2e.support.Guests.awaitPhase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.local.process.AgentProcess;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.e2e.support.TestEnvironment;
import io.unikernetes.local.artifacts.GuestImageServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An agent killed (SIGKILL, no shutdown hook) while it downloads an image: the next agent removes the unfinished
 * file, downloads again and boots the guest from a verified file. The agent is its own process on libvirt's
 * test driver; the image (the hello kernel padded to 16 MiB) comes from a loopback server sending 4 MiB a second.
 */
class InterruptedPullIT {

  private static final String NS = "interrupted-pull";
  private static final String NODE = "interrupted-pull-node";
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final int BYTES_PER_SECOND = 4 << 20;
  private static TestEnvironment env;
  private static KubernetesClient client;
  private static HttpServer slow;
  private static byte[] image;
  private static Path state;
  private static AgentProcess agent;

  @BeforeAll
  static void setUp() throws Exception {
    env = TestEnvironment.get();
    client = env.client();
    env.createNamespace(NS);
    image = Arrays.copyOf(Files.readAllBytes(env.repository().helloGuest()), 16 << 20);
    slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    slow.setExecutor(Executors.newCachedThreadPool());
    slow.createContext("/big.elf", exchange -> {
      exchange.sendResponseHeaders(200, image.length);
      try (OutputStream out = exchange.getResponseBody()) {
        for (int sent = 0; sent < image.length; sent += BYTES_PER_SECOND / 10) {
          out.write(image, sent, Math.min(BYTES_PER_SECOND / 10, image.length - sent));
          out.flush();
          Thread.sleep(100);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.io.IOException e) {
        // the agent went away mid-transfer
      }
    });
    slow.start();
    state = env.newWorkDir("interrupted-pull-agent");
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      client.resources(Unikernel.class).inNamespace(NS).delete();
      await().atMost(TIMEOUT).until(() -> client.resources(Unikernel.class).inNamespace(NS).list().getItems().isEmpty());
    } finally {
      if (agent != null) {
        agent.close();
      }
      client.resources(XenNode.class).withName(NODE).delete();
      slow.stop(0);
    }
  }

  private static AgentProcess startAgent() throws Exception {
    return AgentProcess.start(env.repository(), env.cluster().kubeconfig(), NODE, "test:///default", state,
        "pool=interrupted-pull", TestEnvironment.NODE_LEASES, state.resolve("agent.log"));
  }

  private static List<Path> partials() throws Exception {
    Path images = state.resolve("images");
    if (!Files.isDirectory(images)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(images)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".partial")).toList();
    }
  }

  @Test
  void anAgentKilledMidPullLeavesNoPartialFileAndTheNextOneBootsTheGuest() throws Exception {
    agent = startAgent();
    String sha256 = io.unikernetes.e2e.support.OciPush.sha256(image);
    ImageSource big = new ImageSource("http://127.0.0.1:" + slow.getAddress().getPort() + "/big.elf", sha256);
    client.resource(Guests.guest(NS, "big", big, "32Mi", Map.of("pool", "interrupted-pull"))).create();

    // Mid-transfer: a partial file with some of the bytes.
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> partials().stream()
        .anyMatch(p -> p.toFile().length() > (1 << 20)));
    agent.kill();
    List<Path> left = partials();
    assertThat(left).as("the kill came mid-download").isNotEmpty();
    assertThat(left.get(0).toFile().length()).isLessThan(image.length);
    assertThat(state.resolve("images").resolve(sha256 + ".elf")).doesNotExist();

    agent = startAgent(); // ready: it has started, so its sweep has run
    assertThat(left).allSatisfy(p -> assertThat(p).doesNotExist());
    awaitPhase(client, NS, "big", UnikernelPhase.Running, TIMEOUT);
    assertThat(GuestImageServer.sha256Of(state.resolve("images").resolve(sha256 + ".elf"))).isEqualTo(sha256);
    assertThat(partials()).isEmpty();
  }
}
