package io.unikernetes.agent.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.unikernetes.agent.images.oci.PullCredentials;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCacheTest {

  private static final byte[] KERNEL = "\u007fELF pretend kernel".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path cacheDir;
  private HttpServer server;
  private final AtomicInteger downloads = new AtomicInteger();
  private ImageCache cache;

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    // Headers and a few bytes, then nothing: the connection stays open until the test ends.
    server.createContext("/stalls.elf", exchange -> {
      exchange.sendResponseHeaders(200, 1 << 20);
      exchange.getResponseBody().write(KERNEL);
      exchange.getResponseBody().flush();
      sleepQuietly(Duration.ofSeconds(30));
      exchange.close();
    });
    // A byte every 500 ms: never idle long, but never done.
    server.createContext("/trickles.elf", exchange -> {
      exchange.sendResponseHeaders(200, 1 << 20);
      for (int i = 0; i < 60; i++) {
        exchange.getResponseBody().write('x');
        exchange.getResponseBody().flush();
        sleepQuietly(Duration.ofMillis(500));
      }
      exchange.close();
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/kernel.elf", exchange -> {
      downloads.incrementAndGet();
      exchange.sendResponseHeaders(200, KERNEL.length);
      exchange.getResponseBody().write(KERNEL);
      exchange.close();
    });
    server.start();
    cache = new ImageCache(cacheDir, Duration.ofSeconds(2), Duration.ofSeconds(6), new SimpleMeterRegistry());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Test
  void aVerifiedImageIsCachedByDigestAndDownloadedOnce() throws Exception {
    ImageSource image = new ImageSource(url("/kernel.elf"), Sha256.of(KERNEL));
    Path first = cache.fetch(image, ImageCache.Progress.start(), PullCredentials.NONE).kernel().orElseThrow();
    Path second = cache.fetch(image, ImageCache.Progress.start(), PullCredentials.NONE).kernel().orElseThrow();
    assertThat(first).isEqualTo(second).hasFileName(Sha256.of(KERNEL) + ".elf");
    assertThat(Files.readAllBytes(first)).isEqualTo(KERNEL);
    assertThat(downloads).hasValue(1);
  }

  @Test
  void aDigestMismatchIsRejectedAndNothingIsCached() throws IOException {
    String wrong = "0".repeat(64);
    assertThatThrownBy(() -> cache.fetch(new ImageSource(url("/kernel.elf"), wrong), ImageCache.Progress.start(), PullCredentials.NONE))
        .isInstanceOf(ImageDigestMismatchException.class)
        .hasMessageContaining("has sha256 " + Sha256.of(KERNEL))
        .hasMessageContaining("requires " + wrong);
    try (var files = Files.list(cacheDir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void anHttpErrorIsAFetchFailureNotAMismatch() {
    assertThatThrownBy(() -> cache.fetch(new ImageSource(url("/missing.elf"), Sha256.of(KERNEL)), ImageCache.Progress.start(), PullCredentials.NONE))
        .isInstanceOf(ImageFetchException.class)
        .hasMessageContaining("HTTP 404");
  }

  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aStalledTransferIsAbortedAfterTheIdleTimeout() {
    ImageCache.Progress progress = ImageCache.Progress.start();
    long started = System.nanoTime();
    assertThatThrownBy(() -> cache.fetch(new ImageSource(url("/stalls.elf"), Sha256.of(KERNEL)), progress, PullCredentials.NONE))
        .isInstanceOf(ImageFetchException.class)
        .hasMessageContaining("stalled: no data for 2 s after " + KERNEL.length + " bytes");
    // the server would hold the connection for 30 s; the download gave up on its own deadline
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(25));
    assertThat(progress.total()).hasValue(1 << 20);
  }

  @Test
  void aTransferThatNeverEndsIsAbortedAfterTheTotalTimeout() {
    assertThatThrownBy(() -> cache.fetch(new ImageSource(url("/trickles.elf"), Sha256.of(KERNEL)),
        ImageCache.Progress.start(), PullCredentials.NONE))
        .isInstanceOf(ImageFetchException.class)
        .hasMessageContaining("not complete after 6 s");
  }
}
