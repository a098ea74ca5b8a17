package io.unikernetes.agent.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Eviction order and disk pressure of the bounded cache, on files made by hand. */
class ImageCacheCollectorTest {

  @TempDir
  Path dir;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<ImageSource> inUse = new ArrayList<>();
  /** A 1 GiB file system with this much free: the tests decide, not the machine's /tmp. */
  private final java.util.concurrent.atomic.AtomicLong free = new java.util.concurrent.atomic.AtomicLong(512L << 20);

  private ImageSource file(char digit, int mebibytes, int minutesAgo) throws IOException {
    String sha = String.valueOf(digit).repeat(64);
    Path file = Files.write(dir.resolve(sha + ".elf"), new byte[mebibytes << 20]);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofMinutes(minutesAgo))));
    return new ImageSource("https://x.org/" + digit, sha);
  }

  private ImageCacheCollector collector(String limit) {
    ImageCache cache = new ImageCache(dir, Duration.ofSeconds(5), Duration.ofSeconds(5), registry);
    return new ImageCacheCollector(cache, MemorySize.parse(limit), () -> new ArrayList<>(inUse).stream(), registry,
        new ImageCacheCollector.FileSystemSpace() {
          @Override
          public long usable() {
            return free.get();
          }

          @Override
          public long total() {
            return 1L << 30;
          }
        });
  }

  @Test
  void evictsUnusedImagesLeastRecentlyUsedFirstUntilWithinTheBound() throws IOException {
    ImageSource used = file('a', 1, 60); // the oldest, but a guest boots from it
    ImageSource old = file('b', 1, 30);
    ImageSource recent = file('c', 1, 10);
    ImageSource newest = file('d', 1, 0);
    inUse.add(used);
    ImageCacheCollector collector = collector("3Mi");

    collector.collect();

    assertThat(dir.resolve(old.getSha256() + ".elf")).doesNotExist();
    assertThat(dir.resolve(used.getSha256() + ".elf")).exists();
    assertThat(dir.resolve(recent.getSha256() + ".elf")).exists();
    assertThat(dir.resolve(newest.getSha256() + ".elf")).exists();
    assertThat(collector.pressure()).isEmpty();
    assertThat(registry.get("unikernetes.image.cache.evictions").counter().count()).isEqualTo(1);
    assertThat(registry.get("unikernetes.image.cache.size").gauge().value()).isEqualTo(3 << 20);
  }

  @Test
  void imagesInUseBeyondTheBoundArePressureUntilAGuestLetsGo() throws IOException {
    inUse.add(file('a', 2, 5));
    inUse.add(file('b', 2, 1));
    ImageCacheCollector collector = collector("3Mi");
    AtomicInteger changes = new AtomicInteger();
    collector.onPressureChange(changes::incrementAndGet);

    collector.collect();
    assertThat(collector.pressure()).hasValueSatisfying(m -> assertThat(m)
        .contains("holds 4.0 MiB of its 3.0 MiB bound (--image-cache-size), all of it images this node's guests use"));
    assertThat(dir.resolve("a".repeat(64) + ".elf")).exists();

    inUse.remove(0); // that guest was deleted
    collector.collect();
    assertThat(collector.pressure()).isEmpty();
    assertThat(dir.resolve("a".repeat(64) + ".elf")).doesNotExist();
    assertThat(changes).hasValue(2);
  }

  @Test
  void aFullFileSystemIsPressureUntilRoomIsMade() throws IOException {
    ImageSource unused = file('a', 1, 5);
    ImageCacheCollector collector = collector("0");
    free.set(100L << 20);
    collector.fileSystemFull("No space left on device");
    // Collecting made room by evicting what no guest uses: the next download may try again.
    assertThat(dir.resolve(unused.getSha256() + ".elf")).doesNotExist();
    assertThat(collector.pressure()).isEmpty();

    collector.fileSystemFull("No space left on device"); // nothing left to evict
    assertThat(collector.pressure()).hasValueSatisfying(m -> assertThat(m).contains("is full: No space left on device"));
    collector.collect();
    assertThat(collector.pressure()).isPresent();

    free.addAndGet(8L << 20); // a guest's files were deleted
    collector.collect();
    assertThat(collector.pressure()).isEmpty();
  }

  @Test
  void aFilePinnedByAPullInProgressIsNotEvicted() throws IOException {
    ImageSource unused = file('a', 2, 60);
    ImageCache cache = new ImageCache(dir, Duration.ofSeconds(5), Duration.ofSeconds(5), registry);
    cache.pin(unused.getSha256());
    ImageCacheCollector collector = new ImageCacheCollector(cache, MemorySize.parse("1Mi"), Stream::empty, registry);
    collector.collect();
    assertThat(dir.resolve(unused.getSha256() + ".elf")).exists();
    cache.unpin(unused.getSha256());
    collector.collect();
    assertThat(dir.resolve(unused.getSha256() + ".elf")).doesNotExist();
  }

  @Test
  void aNearlyFullFileSystemEvictsUnusedImagesAndIsPressureWhenNoneAreLeft() throws IOException {
    ImageSource unused = file('a', 1, 5);
    inUse.add(file('b', 1, 1));
    ImageCacheCollector collector = collector("0");
    free.set(10L << 20); // under 5% of 1 GiB
    collector.collect();
    assertThat(dir.resolve(unused.getSha256() + ".elf")).doesNotExist();
    assertThat(collector.pressure()).hasValueSatisfying(m -> assertThat(m).contains("free, under 5%"));
  }
}
