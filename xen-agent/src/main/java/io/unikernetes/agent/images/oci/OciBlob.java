package io.unikernetes.agent.images.oci;

/**
 * A blob a manifest lists.
 *
 * @param digest {@code sha256:<hex>}
 * @param mediaType as the manifest gives it
 * @param size in bytes, as the manifest gives it
 */
public record OciBlob(String digest, String mediaType, long size) {

  /** A tar layer, compressed with gzip or not (OCI image spec, layer media types; Docker's v2 rootfs diff). */
  public boolean tar() {
    return mediaType.contains(".tar") || mediaType.equals("application/vnd.docker.image.rootfs.diff.tar.gzip");
  }

  public boolean gzip() {
    return mediaType.endsWith("+gzip") || mediaType.endsWith(".tar.gzip");
  }

  public String digestHex() {
    return digest.substring("sha256:".length());
  }
}
