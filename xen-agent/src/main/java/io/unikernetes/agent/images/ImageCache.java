package io.unikernetes.agent.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.unikernetes.agent.images.oci.OciFormatException;
import io.unikernetes.agent.images.oci.OciPuller;
import io.unikernetes.agent.images.oci.OciReference;
import io.unikernetes.agent.images.oci.PullCredentials;
import io.unikernetes.agent.images.signatures.ImagePolicies;
import io.unikernetes.agent.images.signatures.ImageSignatureException;
import io.unikernetes.agent.images.signatures.SignatureRequirement;
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
import java.util.List;
import java.util.Optional;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Set;
import java.util.stream.Stream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kernel images on local disk, one file per digest ({@code <sha256>.elf}), and for each OCI image pulled a
 * note of which files it is ({@code oci-<manifest sha256>.json}). A download goes to a temporary
 * {@code .partial} file while its digest is computed and only a verified file is moved into place, so the
 * cache never holds a file whose name lies; {@link #sweepPartials()} removes what a killed agent left.
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
  private final OciPuller puller;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Notes of version 2 list the image's disk too; older ones are pulled again. */
  private static final int NOTE_VERSION = 2;
  /** Files an OCI pull in progress has committed, by digest (with a count): not yet in a note, still needed. */
  private final java.util.Map<String, Integer> pinned = new java.util.concurrent.ConcurrentHashMap<>();

  private final ImagePolicies policies;

  public ImageCache(Path directory, Duration idleTimeout, Duration totalTimeout, MeterRegistry registry) {
    this(directory, idleTimeout, totalTimeout, "", ImagePolicies.NONE, registry);
  }

  /**
   * {@code platformOs}: the OCI platform os chosen first from an image index ("xen", "qemu"; "" for any);
   * {@code policies}: which OCI images must be signed, checked at pull and again for a cached image.
   */
  public ImageCache(Path directory, Duration idleTimeout, Duration totalTimeout, String platformOs,
      ImagePolicies policies, MeterRegistry registry) {
    this.directory = directory;
    this.policies = policies;
    this.idleTimeout = idleTimeout;
    this.totalTimeout = totalTimeout;
    this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(idleTimeout).build();
    this.fetchTimer = Timer.builder("unikernetes.image.fetch.duration")
        .description("Time to download and verify a kernel image that was not cached")
        .register(registry);
    ScheduledExecutorService looks = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "image-pull-deadlines");
      thread.setDaemon(true);
      return thread;
    });
    this.puller = new OciPuller(this, idleTimeout, totalTimeout, platformOs, looks, policies,
        Timer.builder("unikernetes.image.signature.verification")
            .description("Time to read an OCI image's cosign signatures from its registry and verify them")
            .register(registry));
  }

  /**
   * The verified local files of the image, if the cache has them all and, for an OCI image, a key of every
   * policy now covering it verified its signature when it was pulled (else it is pulled, and checked, again).
   */
  public Optional<ImageFiles> cached(ImageSource image) {
    if (image.getReference() != null) {
      OciReference reference = OciReference.parse(image.getReference());
      List<SignatureRequirement> requirements;
      try {
        requirements = policies.requirementsFor(reference.registry(), reference.repository());
      } catch (ImageFetchException e) {
        return Optional.empty(); // policies not loaded: the pull path waits for them
      }
      Optional<ImageFiles> pulled = cachedPull(reference.digestHex(), requirements);
      pulled.ifPresent(f -> Stream.of(f.kernel(), f.initrd(), f.disk()).flatMap(Optional::stream).distinct()
          .forEach(ImageCache::touch));
      return pulled;
    }
    Optional<Path> file = cachedFile(image.getSha256());
    file.ifPresent(ImageCache::touch);
    return file.map(ImageFiles::url);
  }

  /** The file whose SHA-256 is {@code sha256Hex}, if cached. */
  public Optional<Path> cachedFile(String sha256Hex) {
    Path target = directory.resolve(sha256Hex + ".elf");
    return Files.isRegularFile(target) ? Optional.of(target) : Optional.empty();
  }

  /** One file of the cache: its digest, size and when a guest last asked for it (its modification time). */
  public record CachedFile(String sha256Hex, Path path, long bytes, Instant lastUsed) {
  }

  /** Every verified file in the cache (not the notes, not unfinished downloads). */
  public List<CachedFile> files() throws IOException {
    List<CachedFile> files = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return files;
    }
    try (var entries = Files.newDirectoryStream(directory, "*.elf")) {
      for (Path file : entries) {
        try {
          BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
          files.add(new CachedFile(digestOf(file), file, attributes.size(), attributes.lastModifiedTime().toInstant()));
        } catch (java.nio.file.NoSuchFileException gone) {
          // evicted meanwhile
        }
      }
    }
    return files;
  }

  /**
   * The digests of the cached files {@code image} is made of: a URL's own, or those an OCI image's note lists
   * (none when it was not pulled).
   */
  public Set<String> digestsOf(ImageSource image) {
    if (image.getReference() == null) {
      return Set.of(image.getSha256());
    }
    Path note = directory.resolve("oci-" + OciReference.parse(image.getReference()).digestHex() + ".json");
    try {
      JsonNode files = JSON.readTree(note.toFile());
      Set<String> digests = new java.util.HashSet<>();
      Stream.of("kernel", "initrd", "disk").filter(files::has).forEach(f -> digests.add(files.path(f).asText()));
      return digests;
    } catch (IOException e) {
      return Set.of();
    }
  }

  /**
   * Keeps {@code sha256Hex} from eviction until {@link #unpin}: a pull in progress needs it. Pinning and
   * eviction take one lock, so a file is either evicted before the pin (the pull then fetches it) or kept.
   */
  public synchronized void pin(String sha256Hex) {
    pinned.merge(sha256Hex, 1, Integer::sum);
  }

  public synchronized void unpin(String sha256Hex) {
    pinned.computeIfPresent(sha256Hex, (k, n) -> n > 1 ? n - 1 : null);
  }

  /** The digests pulls in progress hold. */
  public Set<String> pinned() {
    return Set.copyOf(pinned.keySet());
  }

  /**
   * Removes a cached file (an eviction); the notes naming it then count as not cached. False, and nothing
   * removed, when a pull in progress has pinned it since the caller looked.
   */
  public synchronized boolean evict(CachedFile file) throws IOException {
    if (pinned.containsKey(file.sha256Hex())) {
      return false;
    }
    return Files.deleteIfExists(file.path());
  }

  /** The directory the cache lives in, for its file system's free space. */
  public Path directory() {
    return directory;
  }

  /** Marks a file as just used, for least-recently-used eviction. */
  private static void touch(Path file) {
    try {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    } catch (IOException e) {
      // only the eviction order suffers
    }
  }

  /** A new empty temporary file in the cache, for a download that may not complete. */
  public Path newPartial(String sha256Hex) throws IOException {
    Files.createDirectories(directory);
    return Files.createTempFile(directory, sha256Hex, ".partial");
  }

  /** Moves a verified {@code partial} file into place as the file of digest {@code sha256Hex}. */
  public Path commit(Path partial, String sha256Hex) throws IOException {
    Path target = directory.resolve(sha256Hex + ".elf");
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  /**
   * Notes which cached files the OCI image of manifest (or index) digest {@code manifestHex} is, and the
   * fingerprints of the keys whose signatures of it verified.
   */
  public void rememberPull(String manifestHex, ImageFiles files, Set<String> signedBy) throws IOException {
    ObjectNode note = JSON.createObjectNode().put("version", NOTE_VERSION).put("convention", files.convention());
    files.kernel().ifPresent(k -> note.put("kernel", digestOf(k)));
    files.initrd().ifPresent(i -> note.put("initrd", digestOf(i)));
    files.disk().ifPresent(d -> note.put("disk", digestOf(d)));
    signedBy.forEach(note.putArray("signedBy")::add);
    Path partial = newPartial(manifestHex);
    try {
      Files.write(partial, JSON.writeValueAsBytes(note));
      Files.move(partial, directory.resolve("oci-" + manifestHex + ".json"), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  private Optional<ImageFiles> cachedPull(String manifestHex, List<SignatureRequirement> requirements) {
    Path note = directory.resolve("oci-" + manifestHex + ".json");
    if (!Files.isRegularFile(note)) {
      return Optional.empty();
    }
    try {
      JsonNode files = JSON.readTree(note.toFile());
      if (files.path("version").asInt(1) < NOTE_VERSION) {
        return Optional.empty(); // written before disk layers were read: pull again, which rewrites it
      }
      Optional<Path> kernel = noted(files, "kernel");
      Optional<Path> initrd = noted(files, "initrd");
      Optional<Path> disk = noted(files, "disk");
      if (Stream.of("kernel", "initrd", "disk").anyMatch(f -> files.has(f) && noted(files, f).isEmpty())) {
        return Optional.empty(); // a file was removed: pull again
      }
      Set<String> signedBy = new java.util.HashSet<>();
      files.path("signedBy").forEach(f -> signedBy.add(f.asText()));
      if (!requirements.stream().allMatch(r -> r.keys().stream().anyMatch(k -> signedBy.contains(k.fingerprint())))) {
        return Optional.empty(); // a policy (or key) newer than the pull: verify again
      }
      return Optional.of(new ImageFiles(kernel, initrd, disk, files.path("convention").asText("OCI")));
    } catch (IOException e) {
      return Optional.empty(); // unreadable note: pull again, which rewrites it
    }
  }

  private Optional<Path> noted(JsonNode note, String file) {
    return note.has(file) ? cachedFile(note.path(file).asText()) : Optional.empty();
  }

  private static String digestOf(Path cachedFile) {
    String name = cachedFile.getFileName().toString();
    return name.substring(0, name.length() - ".elf".length());
  }

  /** Deletes the {@code .partial} files of downloads that never finished (an agent killed mid-pull). */
  public int sweepPartials() throws IOException {
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    int removed = 0;
    try (var files = Files.newDirectoryStream(directory, "*.partial")) {
      for (Path partial : files) {
        removed += Files.deleteIfExists(partial) ? 1 : 0;
      }
    }
    return removed;
  }

  /** Bytes received so far and the size the server announced (-1 when it did not). */
  public record Progress(AtomicLong received, AtomicLong total) {
    public static Progress start() {
      return new Progress(new AtomicLong(), new AtomicLong(-1));
    }
  }

  /**
   * The verified local files of the image, downloading (or pulling, with {@code credentials}) them first when
   * needed; blocks for at most the total timeout. ImageFetchException for a transfer that failed or stalled
   * (worth retrying), ImageDigestMismatchException for content that is not what the Unikernel pins,
   * OciFormatException for an OCI image without a kernel, ImageSignatureException for one a policy covers
   * that its keys did not sign (none of the three retried soon).
   */
  public ImageFiles fetch(ImageSource image, Progress progress, PullCredentials credentials)
      throws ImageFetchException, ImageDigestMismatchException, OciFormatException, ImageSignatureException {
    Optional<ImageFiles> cached = cached(image);
    if (cached.isPresent()) {
      return cached.get();
    }
    Timer.Sample sample = Timer.start();
    if (image.getReference() != null) {
      ImageFiles pulled = puller.pull(OciReference.parse(image.getReference()), credentials, progress);
      sample.stop(fetchTimer);
      return pulled;
    }
    Path partial = null;
    try {
      partial = newPartial(image.getSha256());
      String actual = download(image.getUrl(), partial, progress);
      if (!actual.equals(image.getSha256())) {
        throw new ImageDigestMismatchException(image.getUrl(), image.getSha256(), actual);
      }
      Path target = commit(partial, image.getSha256());
      sample.stop(fetchTimer);
      return ImageFiles.url(target);
    } catch (IOException e) {
      throw new ImageFetchException("cannot download " + image.getUrl() + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(partial);
    }
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
