package io.unikernetes.agent.images.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unikernetes.agent.images.ImageCache;
import io.unikernetes.agent.images.ImageDigestMismatchException;
import io.unikernetes.agent.images.ImageFetchException;
import io.unikernetes.agent.images.ImageFiles;
import io.unikernetes.agent.images.ImagePullUnauthorizedException;
import io.unikernetes.agent.images.Sha256;
import io.unikernetes.agent.images.signatures.CosignSignatures;
import io.unikernetes.agent.images.signatures.ImagePolicies;
import io.unikernetes.agent.images.signatures.ImageSignatureException;
import io.unikernetes.agent.images.signatures.SignatureRequirement;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import io.micrometer.core.instrument.Timer;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.TreeSet;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.zip.GZIPInputStream;
import land.oras.ContainerRef;
import land.oras.Registry;
import land.oras.auth.AuthProvider;
import land.oras.auth.NoAuthProvider;
import land.oras.auth.UsernamePasswordProvider;
import land.oras.exception.OrasException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Pulls a unikernel image from an OCI distribution registry by digest: the manifest (through an index for
 * x86-64 when there is one), the config, and the layers holding the kernel and initrd, which
 * {@link OciLayout} finds. Every document and blob is checked against its digest before anything from it
 * is used; files land in the {@link ImageCache} under their own SHA-256, so an image shared by many guests or
 * also downloaded by URL is stored once. Layers themselves are not kept. The registry handshake (Basic, or
 * the token protocol) is the ORAS Java SDK's.
 */
public final class OciPuller {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ImageCache cache;
  private final Duration idleTimeout;
  private final Duration totalTimeout;
  private final String preferredOs;
  private final ScheduledExecutorService looks;
  private final ImagePolicies policies;
  private final Timer signatureVerification;

  /**
   * {@code preferredOs}: the platform os an index's manifest is chosen for first (e.g. "xen", "qemu");
   * {@code policies}: which images must carry a signature, and by whom; {@code signatureVerification} times
   * each image's check (reading its signatures from the registry and verifying them).
   */
  public OciPuller(ImageCache cache, Duration idleTimeout, Duration totalTimeout, String preferredOs,
      ScheduledExecutorService looks, ImagePolicies policies, Timer signatureVerification) {
    this.policies = policies;
    this.signatureVerification = signatureVerification;
    this.cache = cache;
    this.idleTimeout = idleTimeout;
    this.totalTimeout = totalTimeout;
    this.preferredOs = preferredOs;
    this.looks = looks;
  }

  /**
   * The image's kernel and initrd in the cache, pulled as needed. ImageFetchException for what may pass (the
   * registry unreachable, a transfer stalled; ImagePullUnauthorizedException for refused credentials),
   * ImageDigestMismatchException for content that is not what its digest says, OciFormatException for an
   * image without a kernel by any convention, ImageSignatureException for an image a policy covers without a
   * signature by one of its keys (checked before any layer is fetched).
   */
  public ImageFiles pull(OciReference reference, PullCredentials credentials, ImageCache.Progress progress)
      throws ImageFetchException, ImageDigestMismatchException, OciFormatException, ImageSignatureException {
    List<SignatureRequirement> requirements = policies.requirementsFor(reference.registry(), reference.repository());
    Optional<RegistryCredential> credential = credentials.forRegistry(reference.registry());
    Registry registry = Registry.builder().withRegistry(reference.registry())
        .withAuthProvider(credential.<AuthProvider>map(c -> new UsernamePasswordProvider(c.username(), c.password()))
            .orElseGet(NoAuthProvider::new))
        .build();
    long deadline = System.nanoTime() + totalTimeout.toNanos();
    // The files this pull has are in no note until it ends: pinned, so no eviction takes them meanwhile.
    List<String> pins = new java.util.ArrayList<>();
    Consumer<String> pin = digest -> {
      cache.pin(digest);
      pins.add(digest);
    };
    try {
      JsonNode manifest = document(registry, reference);
      Set<String> signedBy = Set.of();
      if (!requirements.isEmpty()) {
        Timer.Sample verifying = Timer.start();
        try {
          signedBy = verifySignatures(registry, reference, requirements);
        } finally {
          verifying.stop(signatureVerification);
        }
      }
      if (OciLayout.isIndex(manifest)) {
        String chosen = OciLayout.selectManifest(manifest, preferredOs).orElseThrow(() -> new OciFormatException(
            "the index " + reference + " has no manifest for x86-64 (amd64)"));
        manifest = document(registry, reference.at(checkedDigest(chosen)));
      }
      JsonNode config = JSON.missingNode();
      Optional<OciBlob> configBlob = OciLayout.config(manifest);
      if (configBlob.isPresent()) {
        config = JSON.readTree(blob(registry, reference, configBlob.get()));
      }
      OciImageContents contents = OciLayout.contents(manifest, config);
      progress.total().set(Stream.of(contents.kernel(), contents.initrd(), contents.disk()).flatMap(Optional::stream)
          .mapToLong(f -> f.candidates().get(0).size()).sum());
      Optional<Path> kernel = contents.kernel().isEmpty() ? Optional.empty()
          : Optional.of(file(registry, reference, contents.kernel().get(), "kernel", deadline, progress, pin));
      Optional<Path> initrd = contents.initrd().isEmpty() ? Optional.empty()
          : Optional.of(file(registry, reference, contents.initrd().get(), "initrd", deadline, progress, pin));
      Optional<Path> disk = contents.disk().isEmpty() ? Optional.empty()
          : Optional.of(file(registry, reference, contents.disk().get(), "disk", deadline, progress, pin));
      ImageFiles files = new ImageFiles(kernel, initrd, disk, contents.convention());
      cache.rememberPull(reference.digestHex(), files, signedBy);
      return files;
    } catch (OrasException e) {
      throw failure(reference, credential, e);
    } catch (IOException e) {
      throw new ImageFetchException("cannot pull " + reference + ": " + e.getMessage(), e);
    } finally {
      pins.forEach(cache::unpin);
    }
  }

  /**
   * The fingerprints of the keys whose cosign signatures of {@code reference} verify, once every requirement
   * has one of them. ImageSignatureException naming each policy left unsatisfied.
   */
  private Set<String> verifySignatures(Registry registry, OciReference reference,
      List<SignatureRequirement> requirements) throws IOException, ImageDigestMismatchException,
      ImageSignatureException {
    String tag = CosignSignatures.signatureTag(reference.digest());
    JsonNode signatures;
    try {
      ContainerRef ref = ContainerRef.parse(reference.registry() + "/" + reference.repository() + ":" + tag);
      signatures = JSON.readTree(registry.getDescriptor(ref).getJson());
    } catch (OrasException e) {
      if (e.getStatusCode() == null || e.getStatusCode() != 404) {
        throw e;
      }
      throw new ImageSignatureException("image " + reference + " has no cosign signature (no tag " + tag
          + "), and " + names(requirements) + " requires one: sign it (cosign sign --key ...)");
    }
    Set<String> signedBy = new TreeSet<>();
    List<SignatureRequirement.SigningKey> keys = requirements.stream().flatMap(r -> r.keys().stream()).toList();
    for (CosignSignatures.SignedPayload signed : CosignSignatures.payloads(signatures)) {
      byte[] payload = blob(registry, reference, new OciBlob(signed.payloadDigest(),
          CosignSignatures.PAYLOAD_MEDIA_TYPE, -1));
      CosignSignatures.verify(payload, signed.signatureBase64(), reference.digest(), keys)
          .ifPresent(k -> signedBy.add(k.fingerprint()));
    }
    List<SignatureRequirement> unmet = requirements.stream()
        .filter(r -> r.keys().stream().noneMatch(k -> signedBy.contains(k.fingerprint()))).toList();
    if (!unmet.isEmpty()) {
      throw new ImageSignatureException("image " + reference + " is not signed by a key of " + names(unmet)
          + " (its " + CosignSignatures.payloads(signatures).size() + " signature(s) verify with none of "
          + unmet.stream().flatMap(r -> r.keys().stream()).map(SignatureRequirement.SigningKey::name).toList()
          + ")");
    }
    return signedBy;
  }

  private static String names(List<SignatureRequirement> requirements) {
    return "UnikernelImagePolicy " + String.join(", ", requirements.stream().map(SignatureRequirement::policy)
        .toList());
  }

  /** A manifest or index, verified against its digest before it is parsed. */
  private JsonNode document(Registry registry, OciReference reference)
      throws IOException, ImageDigestMismatchException {
    ContainerRef ref = ContainerRef.parse(reference.toString());
    byte[] body = registry.getDescriptor(ref).getJson().getBytes(StandardCharsets.UTF_8);
    String actual = Sha256.of(body);
    if (!actual.equals(reference.digestHex())) {
      throw new ImageDigestMismatchException(reference.toString(), reference.digestHex(), actual);
    }
    return JSON.readTree(body);
  }

  /** A small blob (the config) read whole and verified. */
  private byte[] blob(Registry registry, OciReference reference, OciBlob blob)
      throws IOException, ImageDigestMismatchException {
    checkedDigestUnchecked(blob.digest());
    byte[] body;
    try (InputStream in = registry.fetchBlob(blobRef(reference, blob))) {
      body = in.readNBytes(1 << 20);
    }
    String actual = Sha256.of(body);
    if (!actual.equals(blob.digestHex())) {
      throw new ImageDigestMismatchException(reference + " blob " + blob.digest(), blob.digestHex(), actual);
    }
    return body;
  }

  /**
   * The cached copy of {@code file}, fetched from its layer (and taken out of its tar) when not cached; its digest
   * is given to {@code pin} before the file is looked up or committed.
   */
  private Path file(Registry registry, OciReference reference, OciFile file, String what, long deadline,
      ImageCache.Progress progress, Consumer<String> pin) throws IOException, ImageDigestMismatchException,
      OciFormatException, ImageFetchException {
    for (OciBlob blob : file.candidates()) {
      checkedDigest(blob.digest());
      if (file.pathInTar().isEmpty()) {
        pin.accept(blob.digestHex());
        Optional<Path> cached = cache.cachedFile(blob.digestHex());
        if (cached.isPresent()) {
          return cached.get();
        }
      }
      Path partial = cache.newPartial(blob.digestHex());
      try {
        MessageDigest layerDigest = Sha256.newDigest();
        String fileDigest = null;
        try (InputStream body = new StalledStream(registry.fetchBlob(blobRef(reference, blob)), idleTimeout, deadline,
            progress.received(), looks); DigestInputStream hashed = new DigestInputStream(body, layerDigest)) {
          if (file.pathInTar().isEmpty()) {
            try (OutputStream out = Files.newOutputStream(partial)) {
              fileDigest = Sha256.copy(hashed, out);
            }
          } else {
            fileDigest = extract(blob.gzip() ? new GZIPInputStream(hashed) : hashed, file.pathInTar().get(), partial);
            hashed.transferTo(OutputStream.nullOutputStream()); // the rest of the layer, so its digest is whole
          }
        }
        String actual = HexFormat.of().formatHex(layerDigest.digest());
        if (!actual.equals(blob.digestHex())) {
          throw new ImageDigestMismatchException(reference + " layer " + blob.digest(), blob.digestHex(), actual);
        }
        if (fileDigest != null) {
          pin.accept(fileDigest);
          return cache.commit(partial, fileDigest);
        }
      } finally {
        Files.deleteIfExists(partial);
      }
    }
    throw new OciFormatException("the image's " + what + " " + file.describe() + " is not in its layers");
  }

  /** Copies the entry at {@code path} of the tar into {@code target}; its SHA-256, or null when absent. */
  private static String extract(InputStream layer, String path, Path target) throws IOException {
    TarArchiveInputStream tar = new TarArchiveInputStream(layer);
    String found = null;
    for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
      String name = entry.getName().replaceFirst("^\\./", "").replaceFirst("^/+", "");
      if (entry.isFile() && name.equals(path)) {
        try (OutputStream out = Files.newOutputStream(target)) {
          found = Sha256.copy(tar, out); // a later entry of the same path replaces it, as in a layer
        }
      }
    }
    return found;
  }

  private static ContainerRef blobRef(OciReference reference, OciBlob blob) {
    return ContainerRef.parse(reference.at(blob.digest()).toString());
  }

  private static void checkedDigestUnchecked(String digest) throws IOException {
    if (!digest.matches("sha256:[0-9a-f]{64}")) {
      throw new IOException("unsupported or malformed digest in the manifest: " + digest);
    }
  }

  /** A digest used as a file name: only sha256 with 64 hex digits. */
  private static String checkedDigest(String digest) throws OciFormatException {
    if (!digest.matches("sha256:[0-9a-f]{64}")) {
      throw new OciFormatException("unsupported or malformed digest in the manifest: " + digest);
    }
    return digest;
  }

  /**
   * Whether the registry's token service refused the credentials: it answers 401 without a challenge (as
   * Docker's and distribution's token services do for a wrong password), which the ORAS SDK's HttpClient
   * reports as "No WWW-Authenticate header found in response" under a request failure without a status.
   */
  private static boolean tokenRefused(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof OrasException && String.valueOf(cause.getMessage()).startsWith("No WWW-Authenticate")) {
        return true;
      }
    }
    return false;
  }

  private static ImageFetchException failure(OciReference reference, Optional<RegistryCredential> credential,
      OrasException e) {
    Integer code = e.getStatusCode();
    boolean refused = code != null && (code == 401 || code == 403);
    if (refused || tokenRefused(e)) {
      String status = "HTTP " + (refused ? code : 401) + (refused ? "" : " from the token service");
      String message = credential.map(c -> "registry " + reference.registry() + " refused the credentials of "
              + c.username() + " from " + c.source() + " for " + reference.repository() + " (" + status + ")")
          .orElse("registry " + reference.registry() + " requires credentials for " + reference.repository()
              + " (" + status + "): name a kubernetes.io/dockerconfigjson Secret with an entry for "
              + reference.registry() + " in spec.imagePullSecrets");
      return new ImagePullUnauthorizedException(message, e);
    }
    StringBuilder detail = new StringBuilder(code == null || code < 0 ? "" : "HTTP " + code + ": ");
    detail.append(e.getMessage());
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      detail.append(": ").append(cause.getMessage()); // the SDK wraps the reason ("Unable to create HTTP request")
    }
    return new ImageFetchException("cannot pull " + reference + ": " + detail, e);
  }

}
