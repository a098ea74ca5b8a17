package io.unikernetes.agent.images.oci;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds a unikernel's kernel and initrd in an OCI image manifest, by the conventions its builders use, tried
 * in this order:
 * <ol>
 *   <li>Unikernetes: layers of media type {@value #KERNEL_MEDIA_TYPE} and {@value #INITRD_MEDIA_TYPE} are the
 *       files themselves, as {@code oras push registry/app:v1 kernel.elf:application/vnd.unikernetes.kernel.v1}
 *       writes them.</li>
 *   <li>KraftKit: a tar layer annotated {@value #KRAFTKIT_KERNEL} (and {@value #KRAFTKIT_INITRD}) holds the
 *       file at the path the annotation gives (unikraft/kraftkit, oci/annotations.go; KraftKit writes
 *       /unikraft/bin/kernel and /unikraft/bin/initrd).</li>
 *   <li>urunc: the image config's labels or the manifest's annotations {@value #URUNC_BINARY} (and
 *       {@value #URUNC_INITRD}) give the file's path in the image's root filesystem, searched in the tar layers
 *       from the last (urunc-dev/urunc, pkg/unikontainers/config.go; values plain or base64).</li>
 *   <li>KraftKit without annotations: {@value #KRAFTKIT_KERNEL_PATH} (KraftKit's WellKnownKernelPath) in a tar
 *       layer.</li>
 * </ol>
 * A disk image is a layer of media type {@value #DISK_MEDIA_TYPE} (the file itself, raw or qcow2), or the file
 * urunc's {@value #URUNC_BLOCK} names in the root filesystem. An image may carry a disk and no kernel (a disk
 * for spec.volumes). Pure: reads parsed JSON, does no I/O.
 */
public final class OciLayout {

  public static final String KERNEL_MEDIA_TYPE = "application/vnd.unikernetes.kernel.v1";
  public static final String INITRD_MEDIA_TYPE = "application/vnd.unikernetes.initrd.v1";
  public static final String DISK_MEDIA_TYPE = "application/vnd.unikernetes.disk.v1";
  public static final String KRAFTKIT_KERNEL = "org.unikraft.kernel.image";
  public static final String KRAFTKIT_INITRD = "org.unikraft.kernel.initrd";
  public static final String KRAFTKIT_KERNEL_PATH = "/unikraft/bin/kernel";
  public static final String URUNC_BINARY = "com.urunc.unikernel.binary";
  public static final String URUNC_INITRD = "com.urunc.unikernel.initrd";
  public static final String URUNC_BLOCK = "com.urunc.unikernel.block";

  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final Set<String> INDEX_TYPES = Set.of(OCI_INDEX, DOCKER_LIST);
  /** What the agent asks a registry for: manifests and indexes, OCI's and Docker's v2. */
  public static final String ACCEPT = String.join(", ", OCI_INDEX, DOCKER_LIST,
      "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json");

  private OciLayout() {
  }

  /** Whether {@code document} (a manifest or an index) is an index: by mediaType, or by having manifests. */
  public static boolean isIndex(JsonNode document) {
    return INDEX_TYPES.contains(document.path("mediaType").asText()) || document.has("manifests");
  }

  /**
   * The digest of the index's manifest for x86-64, preferring one whose platform os is {@code preferredOs}
   * (KraftKit names the platform there: "xen", "qemu"); empty when none is for x86-64.
   */
  public static Optional<String> selectManifest(JsonNode index, String preferredOs) {
    List<JsonNode> amd64 = new ArrayList<>();
    for (JsonNode m : index.path("manifests")) {
      String arch = m.path("platform").path("architecture").asText("");
      if (arch.isEmpty() || arch.equals("amd64") || arch.equals("x86_64")) {
        amd64.add(m);
      }
    }
    return amd64.stream().filter(m -> m.path("platform").path("os").asText("").equalsIgnoreCase(preferredOs))
        .findFirst().or(() -> amd64.stream().findFirst()).map(m -> m.path("digest").asText());
  }

  /** The config blob's descriptor, or empty for an image without one worth reading (the empty config). */
  public static Optional<OciBlob> config(JsonNode manifest) {
    JsonNode config = manifest.path("config");
    if (!config.has("digest") || config.path("size").asLong() <= 2 || config.path("size").asLong() > 1 << 20) {
      return Optional.empty();
    }
    return Optional.of(blob(config));
  }

  /**
   * The kernel, initrd and disk of the image. {@code config} is the parsed image config, or a missing node.
   * OciFormatException naming the conventions looked for when neither a kernel nor a disk is found.
   */
  public static OciImageContents contents(JsonNode manifest, JsonNode config) throws OciFormatException {
    List<OciBlob> layers = new ArrayList<>();
    manifest.path("layers").forEach(l -> layers.add(blob(l)));
    List<OciBlob> tars = new ArrayList<>(layers.stream().filter(OciBlob::tar).toList());
    Collections.reverse(tars);
    Optional<OciFile> disk = find(layers, manifest, l -> l.path("mediaType").asText().equals(DISK_MEDIA_TYPE))
        .map(OciFile::rawBlob)
        .or(() -> tars.isEmpty() ? Optional.empty() : uruncValue(manifest, config, URUNC_BLOCK).map(p -> OciFile.inTar(tars, p)));
    Optional<OciBlob> rawKernel = find(layers, manifest, l -> l.path("mediaType").asText().equals(KERNEL_MEDIA_TYPE));
    if (rawKernel.isPresent()) {
      return new OciImageContents("Unikernetes", rawKernel.map(OciFile::rawBlob),
          find(layers, manifest, l -> l.path("mediaType").asText().equals(INITRD_MEDIA_TYPE)).map(OciFile::rawBlob),
          disk);
    }
    Optional<OciFile> kraftKernel = annotatedLayer(layers, manifest, KRAFTKIT_KERNEL);
    if (kraftKernel.isPresent()) {
      return new OciImageContents("KraftKit", kraftKernel, annotatedLayer(layers, manifest, KRAFTKIT_INITRD), disk);
    }
    Optional<String> uruncBinary = uruncValue(manifest, config, URUNC_BINARY);
    if (uruncBinary.isPresent() && !tars.isEmpty()) {
      return new OciImageContents("urunc", Optional.of(OciFile.inTar(tars, uruncBinary.get())),
          uruncValue(manifest, config, URUNC_INITRD).map(p -> OciFile.inTar(tars, p)), disk);
    }
    if (disk.isPresent()) { // a disk-only image: no kernel is guessed at
      return new OciImageContents(uruncValue(manifest, config, URUNC_BLOCK).isPresent() ? "urunc" : "Unikernetes",
          Optional.empty(), Optional.empty(), disk);
    }
    if (!tars.isEmpty()) {
      return new OciImageContents("KraftKit", Optional.of(OciFile.inTar(tars, KRAFTKIT_KERNEL_PATH)),
          Optional.empty(), Optional.empty());
    }
    throw new OciFormatException("the image has no layer of media type " + KERNEL_MEDIA_TYPE + " or "
        + DISK_MEDIA_TYPE + ", no tar layer annotated " + KRAFTKIT_KERNEL + " (KraftKit), no " + URUNC_BINARY
        + " label or annotation (urunc) and no tar layer at all; layers: "
        + layers.stream().map(OciBlob::mediaType).toList());
  }

  private static Optional<OciBlob> find(List<OciBlob> layers, JsonNode manifest, Predicate<JsonNode> match) {
    JsonNode nodes = manifest.path("layers");
    for (int i = 0; i < nodes.size(); i++) {
      if (match.test(nodes.get(i))) {
        return Optional.of(layers.get(i));
      }
    }
    return Optional.empty();
  }

  private static Optional<OciFile> annotatedLayer(List<OciBlob> layers, JsonNode manifest, String key) {
    JsonNode nodes = manifest.path("layers");
    for (int i = 0; i < nodes.size(); i++) {
      String path = nodes.get(i).path("annotations").path(key).asText("");
      if (!path.isEmpty() && layers.get(i).tar()) {
        return Optional.of(OciFile.inTar(List.of(layers.get(i)), path));
      }
    }
    return Optional.empty();
  }

  /** A urunc key from the config's labels, else the manifest's annotations; base64 values decoded. */
  private static Optional<String> uruncValue(JsonNode manifest, JsonNode config, String key) {
    String value = config.path("config").path("Labels").path(key).asText("");
    if (value.isEmpty()) {
      value = manifest.path("annotations").path(key).asText("");
    }
    return value.isEmpty() ? Optional.empty() : Optional.of(plainOrBase64(value));
  }

  private static String plainOrBase64(String value) {
    if (value.startsWith("/")) {
      return value;
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
      return decoded.startsWith("/") ? decoded : value;
    } catch (IllegalArgumentException e) {
      return value;
    }
  }

  private static OciBlob blob(JsonNode descriptor) {
    return new OciBlob(descriptor.path("digest").asText(), descriptor.path("mediaType").asText(""),
        descriptor.path("size").asLong(-1));
  }
}
