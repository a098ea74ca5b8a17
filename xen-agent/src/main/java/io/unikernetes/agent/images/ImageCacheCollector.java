package io.unikernetes.agent.images;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the image cache within its bound, as kubelet's image garbage collection keeps a node's images: files no
 * guest on the node uses are evicted, least recently used first, until the cache holds at most {@code limit}
 * bytes and its file system has at least {@value #MIN_FREE_PERCENT}% free. What cannot be freed that way (every
 * file in use, or a download that hit a full file system) is disk pressure: new downloads wait, the guests
 * waiting say why, and the XenNode's DiskPressure condition is True until room is made (a guest deleted), or,
 * for a full file system where nothing could be freed, for {@link #FULL_FOR}.
 */
public class ImageCacheCollector {

  /** Free space below which the file system counts as full (kubelet's default hard eviction is 10% of nodefs). */
  static final int MIN_FREE_PERCENT = 5;
  private static final Logger LOG = LoggerFactory.getLogger(ImageCacheCollector.class);

  /** Free and total bytes of the file system holding the cache. */
  interface FileSystemSpace {
    long usable() throws IOException;

    long total() throws IOException;
  }

  private final ImageCache cache;
  private final FileSystemSpace space;
  private final long limit;
  private final Supplier<Stream<ImageSource>> inUse;
  private final AtomicLong cachedBytes = new AtomicLong();
  private final Counter evictions;
  private final List<Runnable> pressureListeners = new CopyOnWriteArrayList<>();
  private volatile String pressure;
  /** Free bytes when a download last found the file system full; -1 when none did since room was made. */
  private volatile long freeWhenFull = -1;
  /** Until when (System.nanoTime) that counts without room being made: downloads then try again. */
  private volatile long fullUntilNanos;
  /**
   * How long a full file system holds downloads back when nothing frees space: a smaller image may still fit,
   * and a download that hits ENOSPC again starts it over.
   */
  static final java.time.Duration FULL_FOR = java.time.Duration.ofSeconds(30);

  /**
   * {@code limit}: most bytes of cached files (zero: no bound); {@code inUse}: the downloads of every guest on
   * this node, whose files are never evicted.
   */
  public ImageCacheCollector(ImageCache cache, MemorySize limit, Supplier<Stream<ImageSource>> inUse,
      MeterRegistry registry) {
    this(cache, limit, inUse, registry, new FileSystemSpace() {
      @Override
      public long usable() throws IOException {
        return store(cache).getUsableSpace();
      }

      @Override
      public long total() throws IOException {
        return store(cache).getTotalSpace();
      }
    });
  }

  ImageCacheCollector(ImageCache cache, MemorySize limit, Supplier<Stream<ImageSource>> inUse,
      MeterRegistry registry, FileSystemSpace space) {
    this.cache = cache;
    this.space = space;
    this.limit = limit.bytes();
    this.inUse = inUse;
    Gauge.builder("unikernetes.image.cache.size", cachedBytes, AtomicLong::get).baseUnit("bytes")
        .description("Bytes of verified images (kernels, initrds, disk images) in the node's cache").register(registry);
    Gauge.builder("unikernetes.image.cache.limit", () -> this.limit).baseUnit("bytes")
        .description("The cache's bound (--image-cache-size; 0: none)").register(registry);
    this.evictions = Counter.builder("unikernetes.image.cache.evictions")
        .description("Images removed from the cache because it was over its bound or its file system full")
        .register(registry);
  }

  /** Runs {@code listener} whenever disk pressure starts or ends (to refresh the XenNode's condition). */
  public void onPressureChange(Runnable listener) {
    pressureListeners.add(listener);
  }

  /** Why new downloads must wait, while the cache cannot make room; empty when they may go. */
  public Optional<String> pressure() {
    return Optional.ofNullable(pressure);
  }

  /** A download failed for want of space: pressure until a collection finds more free space than now. */
  public synchronized void fileSystemFull(String message) {
    try {
      freeWhenFull = space.usable();
    } catch (IOException e) {
      freeWhenFull = 0;
    }
    fullUntilNanos = System.nanoTime() + FULL_FOR.toNanos();
    setPressure("the file system of the image cache (" + cache.directory() + ") is full: " + message);
    collect();
  }

  /** Evicts what the bound and the free space ask for, and works out whether pressure remains. */
  public synchronized void collect() {
    try {
      List<ImageCache.CachedFile> files = cache.files();
      java.util.concurrent.atomic.AtomicBoolean unreadable = new java.util.concurrent.atomic.AtomicBoolean();
      Set<String> used = inUse.get().flatMap(image -> digestsOf(image, unreadable))
          .collect(Collectors.toCollection(java.util.HashSet::new));
      used.addAll(cache.pinned());
      long total = files.stream().mapToLong(ImageCache.CachedFile::bytes).sum();
      long free = space.usable();
      long minFree = space.total() / 100 * MIN_FREE_PERCENT;
      List<ImageCache.CachedFile> unused = files.stream().filter(f -> !used.contains(f.sha256Hex()))
          .sorted(Comparator.comparing(ImageCache.CachedFile::lastUsed)).toList();
      // A guest whose image could not be read may use any file: evict nothing this time, still judge pressure.
      for (ImageCache.CachedFile file : unreadable.get() ? List.<ImageCache.CachedFile>of() : unused) {
        if (!(limit > 0 && total > limit) && free >= minFree && !stillFull(free)) {
          break;
        }
        if (!cache.evict(file)) {
          continue; // a pull pinned it meanwhile
        }
        evictions.increment();
        total -= file.bytes();
        free += file.bytes();
        LOG.info("evicted image {} ({} bytes, last used {}) from the cache: {} of {} bytes held, {} free",
            file.sha256Hex(), file.bytes(), file.lastUsed(), total, limit, free);
      }
      cachedBytes.set(total);
      if (freeWhenFull >= 0 && !stillFull(free)) {
        freeWhenFull = -1;
      }
      if (limit > 0 && total > limit) {
        setPressure("the image cache holds " + mebibytes(total) + " of its " + mebibytes(limit)
            + " bound (--image-cache-size), all of it images this node's guests use: delete guests or raise "
            + "the bound");
      } else if (free < minFree) {
        setPressure("the file system of the image cache (" + cache.directory() + ") has " + mebibytes(free)
            + " free, under " + MIN_FREE_PERCENT + "%, and no image left that no guest uses");
      } else if (freeWhenFull < 0) {
        setPressure(null);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot collect the image cache in {}: {}", cache.directory(), e.getMessage());
    }
  }

  /** One guest's image's files; none, a warning and {@code unreadable} set when its source cannot be read. */
  private Stream<String> digestsOf(ImageSource image, java.util.concurrent.atomic.AtomicBoolean unreadable) {
    try {
      return cache.digestsOf(image).stream();
    } catch (RuntimeException e) {
      LOG.warn("cannot tell the files of image {}: {}", image.location(), e.getMessage());
      unreadable.set(true);
      return Stream.empty();
    }
  }

  private boolean stillFull(long free) {
    return freeWhenFull >= 0 && free <= freeWhenFull && System.nanoTime() - fullUntilNanos < 0;
  }

  private static FileStore store(ImageCache cache) throws IOException {
    Files.createDirectories(cache.directory());
    return Files.getFileStore(cache.directory());
  }

  private synchronized void setPressure(String message) {
    String before = pressure;
    pressure = message;
    if ((before == null) != (message == null)) {
      if (message != null) {
        LOG.warn("disk pressure: {}", message);
      } else {
        LOG.info("disk pressure is over");
      }
      pressureListeners.forEach(Runnable::run);
    }
  }

  private static String mebibytes(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
