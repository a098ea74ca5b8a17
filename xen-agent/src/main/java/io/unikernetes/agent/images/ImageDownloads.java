package io.unikernetes.agent.images;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.unikernetes.agent.images.oci.OciFormatException;
import io.unikernetes.agent.images.oci.PullCredentials;
import io.unikernetes.agent.images.signatures.ImageSignatureException;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.status.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Downloads in the background, so no reconcile waits for a network: a guest asks for its image and gets
 * where the download stands; guests pinning the same URL and digest (or OCI reference, with the same
 * credentials) share one download. A failed transfer is
 * retried with exponential backoff (10 s doubling to 5 min); a digest mismatch fails the guests that asked,
 * and is tried again only for guests asking 5 min later (the server may have been fixed). Listeners hear of
 * every download that ended, to look at the guests waiting for it.
 */
public class ImageDownloads implements AutoCloseable {

  /** Where one image stands. */
  public sealed interface State permits Downloading, Ready, Failed {
  }

  /** Being fetched: bytes so far, announced size (-1 unknown), which attempt. */
  public record Downloading(long received, long total, int attempt) implements State {
  }

  /** Verified and on local disk. */
  public record Ready(ImageFiles files) implements State {
  }

  /**
   * The last attempt failed. {@code retryAt} is when the next one may start; null when the failure is final
   * (the content does not have the pinned digest).
   */
  public record Failed(Reason reason, String message, int attempt, Instant retryAt) implements State {
    public boolean isFinal() {
      return retryAt == null;
    }
  }

  static final Duration FIRST_RETRY = Duration.ofSeconds(10);
  static final Duration MAX_RETRY = Duration.ofMinutes(5);

  private final ImageCache cache;
  private final Clock clock;
  private final ExecutorService workers;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final List<Consumer<ImageSource>> listeners = new CopyOnWriteArrayList<>();
  private final ImageCacheCollector collector;
  private final Counter hits;
  private final Counter misses;
  /** How soon a download held back by disk pressure is looked at again (a deleted guest also ends it). */
  static final Duration PRESSURE_RETRY = Duration.ofSeconds(10);

  private static final class Entry {
    final ImageCache.Progress progress = ImageCache.Progress.start();
    volatile int attempt;
    volatile Failed failed;
    volatile Instant failedAt;
    volatile boolean running;
  }

  /** {@code parallel} downloads at most run at once; the others queue. The cache is not bounded. */
  public ImageDownloads(ImageCache cache, int parallel, Clock clock) {
    this(cache, null, parallel, clock, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }

  /**
   * {@code collector} (may be null: unbounded) keeps the cache within its bound after each download and holds
   * new downloads back while it cannot.
   */
  public ImageDownloads(ImageCache cache, ImageCacheCollector collector, int parallel, Clock clock,
      MeterRegistry registry) {
    this.cache = cache;
    this.collector = collector;
    this.hits = Counter.builder("unikernetes.image.cache.hits")
        .description("Requests for an image the cache had (a guest booting from it without a download)")
        .register(registry);
    this.misses = Counter.builder("unikernetes.image.cache.misses")
        .description("Downloads started because the cache lacked an image").register(registry);
    this.clock = clock;
    this.workers = Executors.newFixedThreadPool(parallel, r -> {
      Thread thread = new Thread(r, "image-download");
      thread.setDaemon(true);
      return thread;
    });
  }

  public void onFinished(Consumer<ImageSource> listener) {
    listeners.add(listener);
  }

  /** A download that needs no credentials: a URL, or a public OCI image. */
  public State request(ImageSource image) {
    return request(image, PullCredentials.NONE, "", Instant.MIN);
  }

  /**
   * Where the image stands, starting (or retrying, once its backoff passed) a download when none runs.
   * {@code credentials} are asked for on the download's thread; {@code credentialsKey} names them (e.g. the
   * namespace and Secret names), so guests with different credentials do not share a failed pull.
   * {@code askerCreated}: when the asking guest was created; a final failure from before then is not its
   * answer, so a guest created after the image was fixed (signed, re-published) gets a fresh look.
   */
  public State request(ImageSource image, PullCredentials credentials, String credentialsKey,
      Instant askerCreated) {
    Optional<ImageFiles> cached = cache.cached(image);
    String key = key(image) + " " + credentialsKey;
    if (cached.isPresent()) {
      entries.remove(key);
      hits.increment();
      return new Ready(cached.get());
    }
    Entry entry = entries.computeIfAbsent(key, k -> new Entry());
    synchronized (entry) {
      Failed failed = entry.failed;
      // A final failure (wrong content) is remembered for a while, not for ever: the server may be fixed.
      Instant retry = failed == null ? null : failed.isFinal() ? entry.failedAt.plus(MAX_RETRY) : failed.retryAt();
      // creationTimestamp has whole seconds: a failure in the asker's second counts as older (at worst one
      // more look for a guest created just before it).
      boolean olderThanAsker = failed != null && failed.isFinal()
          && entry.failedAt.isBefore(askerCreated.equals(Instant.MIN) ? askerCreated : askerCreated.plusSeconds(1));
      if (!entry.running && failed != null && clock.instant().isBefore(retry) && !olderThanAsker) {
        return failed;
      }
      Optional<String> pressure = collector == null ? Optional.empty() : collector.pressure();
      if (!entry.running && pressure.isPresent()) {
        return new Failed(Reason.DiskPressure, "waiting for room in the image cache: " + pressure.get(),
            entry.attempt, clock.instant().plus(PRESSURE_RETRY));
      }
      if (!entry.running) {
        misses.increment();
        entry.running = true;
        entry.attempt++;
        entry.progress.received().set(0);
        entry.progress.total().set(-1);
        workers.execute(() -> run(image, credentials, entry));
      }
      return new Downloading(entry.progress.received().get(), entry.progress.total().get(), entry.attempt);
    }
  }

  private void run(ImageSource image, PullCredentials credentials, Entry entry) {
    Failed failed = new Failed(Reason.ImageDownloadFailed, "the download stopped unexpectedly", entry.attempt,
        clock.instant().plus(backoff(entry.attempt)));
    try {
      cache.fetch(image, entry.progress, credentials);
      failed = null;
      if (collector != null) {
        collector.collect();
      }
    } catch (ImageDigestMismatchException e) {
      failed = new Failed(Reason.ImageDigestMismatch, e.getMessage(), entry.attempt, null);
    } catch (OciFormatException e) {
      failed = new Failed(Reason.ImageNotBootable, e.getMessage(), entry.attempt, null);
    } catch (ImageSignatureException e) {
      failed = new Failed(Reason.ImageSignatureInvalid, e.getMessage(), entry.attempt, null);
    } catch (ImagePullUnauthorizedException e) {
      failed = new Failed(Reason.ImagePullUnauthorized, e.getMessage(), entry.attempt,
          clock.instant().plus(backoff(entry.attempt)));
    } catch (ImageFetchException | RuntimeException e) {
      boolean full = noSpaceLeft(e);
      failed = new Failed(full ? Reason.DiskPressure : Reason.ImageDownloadFailed, e.getMessage(), entry.attempt,
          clock.instant().plus(full ? PRESSURE_RETRY : backoff(entry.attempt)));
      if (full && collector != null) {
        collector.fileSystemFull(e.getMessage());
      }
    } finally {
      // Whatever ended the download (an Error included), the entry must not stay "running" for ever.
      synchronized (entry) {
        entry.failed = failed;
        entry.failedAt = clock.instant();
        entry.running = false;
      }
      listeners.forEach(l -> l.accept(image));
    }
  }

  /**
   * Whether the failure is ENOSPC. Java reports it only as an IOException whose message is strerror's text, so
   * the text is what can be matched (Linux and glibc: "No space left on device").
   */
  private static boolean noSpaceLeft(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("No space left on device")) {
        return true;
      }
    }
    return false;
  }

  /** 10 s after the first failure, doubling per attempt, at most 5 min. */
  static Duration backoff(int attempt) {
    Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(Math.max(attempt - 1, 0), 10));
    return wait.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait;
  }

  private static String key(ImageSource image) {
    return image.getReference() != null ? image.getReference() : image.getSha256() + " " + image.getUrl();
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
