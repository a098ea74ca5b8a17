package io.unikernetes.agent.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.unikernetes.agent.testing.MovableClock;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.status.Reason;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDownloadsTest {

  private static final byte[] KERNEL = "\u007fELF pretend kernel".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path cacheDir;
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile int failuresLeft;
  private ImageDownloads downloads;
  private final List<ImageSource> finished = new CopyOnWriteArrayList<>();

  /** A clock the test moves, to pass backoffs without waiting for them. */
  private final MovableClock clock = new MovableClock();

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/kernel.elf", exchange -> {
      requests.incrementAndGet();
      if (failuresLeft > 0) {
        failuresLeft--;
        exchange.sendResponseHeaders(503, -1);
      } else {
        exchange.sendResponseHeaders(200, KERNEL.length);
        exchange.getResponseBody().write(KERNEL);
      }
      exchange.close();
    });
    server.start();
    downloads = new ImageDownloads(new ImageCache(cacheDir, Duration.ofSeconds(2), Duration.ofSeconds(5),
        new SimpleMeterRegistry()), 2, clock);
    downloads.onFinished(finished::add);
  }

  @AfterEach
  void stop() {
    downloads.close();
    server.stop(0);
  }

  private ImageSource image(String sha256) {
    return new ImageSource("http://127.0.0.1:" + server.getAddress().getPort() + "/kernel.elf", sha256);
  }

  @Test
  void aRequestNeverWaitsAndGuestsOfOneImageShareItsDownload() {
    ImageSource image = image(Sha256.of(KERNEL));
    assertThat(downloads.request(image)).isInstanceOf(ImageDownloads.Downloading.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> !finished.isEmpty());
    assertThat(downloads.request(image)).isInstanceOf(ImageDownloads.Ready.class);
    assertThat(downloads.request(image)).isInstanceOf(ImageDownloads.Ready.class);
    assertThat(requests).hasValue(1);
  }

  @Test
  void aFailedDownloadIsRetriedOnlyAfterItsBackoff() {
    failuresLeft = 1;
    ImageSource image = image(Sha256.of(KERNEL));
    downloads.request(image);
    await().atMost(Duration.ofSeconds(10)).until(() -> !finished.isEmpty());
    var failed = (ImageDownloads.Failed) downloads.request(image);
    assertThat(failed.reason()).isEqualTo(Reason.ImageDownloadFailed);
    assertThat(failed.message()).contains("HTTP 503");
    assertThat(failed.retryAt()).isEqualTo(clock.instant().plus(ImageDownloads.FIRST_RETRY));
    assertThat(requests).hasValue(1);
    clock.set(failed.retryAt());
    assertThat(downloads.request(image)).isEqualTo(new ImageDownloads.Downloading(0, -1, 2));
    await().atMost(Duration.ofSeconds(10)).until(() -> finished.size() == 2);
    assertThat(downloads.request(image)).isInstanceOf(ImageDownloads.Ready.class);
  }

  @Test
  void aDigestMismatchIsFinalForItsGuestsAndTriedAgainOnlyMuchLater() {
    ImageSource image = image("0".repeat(64));
    downloads.request(image);
    await().atMost(Duration.ofSeconds(10)).until(() -> !finished.isEmpty());
    clock.advance(Duration.ofMinutes(4));
    var failed = (ImageDownloads.Failed) downloads.request(image);
    assertThat(failed.isFinal()).isTrue();
    assertThat(failed.reason()).isEqualTo(Reason.ImageDigestMismatch);
    assertThat(requests).hasValue(1);
    clock.advance(Duration.ofMinutes(2)); // the server may have been fixed
    assertThat(downloads.request(image)).isInstanceOf(ImageDownloads.Downloading.class);
  }

  @Test
  void backoffDoublesUpToFiveMinutes() {
    assertThat(ImageDownloads.backoff(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(ImageDownloads.backoff(3)).isEqualTo(Duration.ofSeconds(40));
    assertThat(ImageDownloads.backoff(30)).isEqualTo(Duration.ofMinutes(5));
  }
}
