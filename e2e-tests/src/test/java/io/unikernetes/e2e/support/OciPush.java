package io.unikernetes.e2e.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unikernetes.local.registry.LocalRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import land.oras.ContainerRef;
import land.oras.Manifest;
import land.oras.Registry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Pushes unikernel images to a {@link LocalRegistry} through the registry's API with the ORAS Java SDK, laid
 * out as each builder lays them out (blobs first, then the manifest), and returns the pinned reference.
 */
public final class OciPush {

  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String TAR = "application/vnd.oci.image.layer.v1.tar";
  public static final String TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

  private final LocalRegistry registry;
  private final Registry client;

  /** Pushes as {@code user} (who may push everywhere). */
  public OciPush(LocalRegistry registry, String user, String password) {
    this.registry = registry;
    this.client = Registry.builder().withRegistry(registry.host()).defaults(user, password).build();
  }

  /** A layer (or config) to push: its bytes, media type and annotations. */
  public record Blob(byte[] data, String mediaType, Map<String, String> annotations) {
    public String digest() {
      return "sha256:" + sha256(data);
    }
  }

  /** Pushes the blobs and a manifest naming them; returns host/repository@sha256:... of the manifest. */
  public String push(String repository, String tag, Blob config, List<Blob> layers,
      Map<String, String> annotations) {
    ContainerRef repo = ContainerRef.parse(registry.host() + "/" + repository + ":" + tag);
    ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MANIFEST);
    client.pushBlob(repo, config.data());
    manifest.set("config", descriptor(config));
    ArrayNode layerNodes = manifest.putArray("layers");
    for (Blob layer : layers) {
      client.pushBlob(repo, layer.data());
      layerNodes.add(descriptor(layer));
    }
    if (!annotations.isEmpty()) {
      manifest.set("annotations", JSON.valueToTree(annotations));
    }
    client.pushManifest(repo, Manifest.fromJson(manifest.toString()));
    String digest = client.getDescriptor(repo).getDigest();
    return registry.host() + "/" + repository + "@" + digest;
  }

  /** The empty config OCI artifacts use. */
  public static Blob emptyConfig() {
    return new Blob("{}".getBytes(StandardCharsets.UTF_8), "application/vnd.oci.empty.v1+json", Map.of());
  }

  /** An image config whose labels are {@code labels} (what urunc's builders write). */
  public static Blob imageConfig(Map<String, String> labels) {
    ObjectNode config = JSON.createObjectNode().put("architecture", "amd64").put("os", "linux");
    config.putObject("config").set("Labels", JSON.valueToTree(labels));
    config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
    return new Blob(config.toString().getBytes(StandardCharsets.UTF_8), "application/vnd.oci.image.config.v1+json",
        Map.of());
  }

  /** A tar of {@code files} (path to content), gzip-compressed or not. */
  public static byte[] tar(Map<String, byte[]> files, boolean gzip) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (var out = gzip ? new GZIPOutputStream(bytes) : bytes;
          TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (Map.Entry<String, byte[]> file : new LinkedHashMap<>(files).entrySet()) {
          TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
          entry.setSize(file.getValue().length);
          tar.putArchiveEntry(entry);
          tar.write(file.getValue());
          tar.closeArchiveEntry();
        }
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode descriptor(Blob blob) {
    ObjectNode node = JSON.createObjectNode().put("mediaType", blob.mediaType()).put("digest", blob.digest())
        .put("size", blob.data().length);
    if (!blob.annotations().isEmpty()) {
      node.set("annotations", JSON.valueToTree(blob.annotations()));
    }
    return node;
  }

  public static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
