package io.unikernetes.agent.images;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kernel images on local disk, one file per digest. A download goes to a temporary file while its digest is
 * computed and only a verified image is moved into place, so the cache never holds a file whose name lies.
 * Every download has two deadlines: {@code idleTimeout} without a byte (also the wait for the response
 * headers) and {@code totalTimeout} for the whole transfer; either aborts the connection.
 */
public class ImageCache {

  /** How often a running download's deadlines are checked. */
  private static final Duration WATCH = Duration.ofMillis(250);

  private final Path directory;
  private final HttpClient http;
  private final Duration idleTimeout;
  private final Duration totalTimeout;
  private final Timer fetchTimer;

  public ImageCache(Path directory, Duration idleTimeout, Duration totalTimeout, MeterRegistry registry) {
    this.directory = directory;
    this.idleTimeout = idleTimeout;
    this.totalTimeout = totalTimeout;
    this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(idleTimeout).build();
    this.fetchTimer = Timer.builder("unikernetes.image.fetch.duration")
        .description("Time to download and verify a kernel image that was not cached")
        .register(registry);
  }

  /** The verified local copy, if the cache has it. */
  public Optional<Path> cached(ImageSource image) {
    Path target = target(image);
    return Files.isRegularFile(target) ? Optional.of(target) : Optional.empty();
  }

  /** Bytes received so far and the size the server announced (-1 when it did not). */
  public record Progress(AtomicLong received, AtomicLong total) {
    public static Progress start() {
      return new Progress(new AtomicLong(), new AtomicLong(-1));
    }
  }

  /**
   * The verified local copy of the image, downloading it first when needed; blocks for at most the total
   * timeout. ImageFetchException for a transfer that failed or stalled (worth retrying),
   * ImageDigestMismatchException for content that is not what the Unikernel pins (never retried).
   */
  public Path fetch(ImageSource image, Progress progress) throws ImageFetchException, ImageDigestMismatchException {
    Optional<Path> cached = cached(image);
    if (cached.isPresent()) {
      return cached.get();
    }
    Timer.Sample sample = Timer.start();
    Path partial = null;
    try {
      Files.createDirectories(directory);
      partial = Files.createTempFile(directory, image.getSha256(), ".partial");
      String actual = download(image.getUrl(), partial, progress);
      if (!actual.equals(image.getSha256())) {
        throw new ImageDigestMismatchException(image.getUrl(), image.getSha256(), actual);
      }
      Path target = target(image);
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      sample.stop(fetchTimer);
      return target;
    } catch (IOException e) {
      throw new ImageFetchException("cannot download " + image.getUrl() + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(partial);
    }
  }

  private Path target(ImageSource image) {
    return directory.resolve(image.getSha256() + ".elf");
  }

  private String download(String url, Path destination, Progress progress) throws IOException, ImageFetchException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(idleTimeout).GET().build();
    long started = System.nanoTime();
    try (FileChannel file = FileChannel.open(destination, StandardOpenOption.WRITE)) {
      FileSink sink = new FileSink(file, progress.received());
      CompletableFuture<HttpResponse<String>> response = http.sendAsync(request, info -> {
        if (info.statusCode() != 200) {
          return HttpResponse.BodySubscribers.replacing(null);
        }
        info.headers().firstValueAsLong("content-length").ifPresent(progress.total()::set);
        return HttpResponse.BodySubscribers.fromSubscriber(sink, FileSink::digest);
      });
      while (true) {
        try {
          HttpResponse<String> done = response.get(WATCH.toMillis(), TimeUnit.MILLISECONDS);
          if (sink.failure() != null) {
            // The body may complete even after the sink cancelled: a short file must never be verified.
            throw sink.failure();
          }
          if (done.statusCode() != 200) {
            throw new ImageFetchException("GET " + url + " answered HTTP " + done.statusCode(), null);
          }
          return done.body();
        } catch (TimeoutException e) {
          if (sink.failure() != null) {
            response.cancel(true);
            throw sink.failure();
          }
          String overdue = overdue(sink, started, progress);
          if (overdue != null) {
            sink.abort();
            response.cancel(true);
            throw new ImageFetchException("GET " + url + ": " + overdue, null);
          }
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof HttpTimeoutException) {
            throw new ImageFetchException("GET " + url + ": no response within " + idleTimeout.toSeconds() + " s", cause);
          }
          throw cause instanceof IOException io ? io : new IOException(String.valueOf(cause.getMessage()), cause);
        } catch (InterruptedException e) {
          sink.abort();
          response.cancel(true);
          Thread.currentThread().interrupt();
          throw new ImageFetchException("interrupted while downloading " + url, e);
        }
      }
    }
  }

  /** Why the download must stop now, or null while it is within its deadlines. */
  private String overdue(FileSink sink, long startedNanos, Progress progress) {
    long now = System.nanoTime();
    if (Duration.ofNanos(now - startedNanos).compareTo(totalTimeout) > 0) {
      return "not complete after " + totalTimeout.toSeconds() + " s (" + progress.received().get() + " bytes received)";
    }
    if (sink.started() && Duration.ofNanos(now - sink.lastDataNanos()).compareTo(idleTimeout) > 0) {
      return "stalled: no data for " + idleTimeout.toSeconds() + " s after " + progress.received().get() + " bytes";
    }
    return null;
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a leftover .partial file is harmless: it never has a digest name
    }
  }
}
