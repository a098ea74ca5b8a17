package io.unikernetes.agent.images.oci;

/**
 * An OCI image reference pinned by digest, split into its parts.
 *
 * @param registry host and optional port, e.g. {@code registry.example.org:5000}
 * @param repository the repository path, e.g. {@code team/app}
 * @param digest {@code sha256:<64 hex>}
 */
public record OciReference(String registry, String repository, String digest) {

  /**
   * Parses {@code host[:port]/path[:tag]@sha256:<hex>}; the tag, if any, is dropped (the digest decides).
   * IllegalArgumentException when there is no registry host or no sha256 digest (admission rejects both).
   */
  public static OciReference parse(String reference) {
    int at = reference.indexOf('@');
    if (at < 0 || !reference.substring(at + 1).matches("sha256:[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not pinned by a sha256 digest: " + reference);
    }
    String name = reference.substring(0, at);
    int slash = name.indexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException("no registry host in " + reference);
    }
    String path = name.substring(slash + 1);
    int tag = path.lastIndexOf(':');
    if (tag > path.lastIndexOf('/')) {
      path = path.substring(0, tag);
    }
    return new OciReference(name.substring(0, slash), path, reference.substring(at + 1));
  }

  /** The digest's 64 hex characters. */
  public String digestHex() {
    return digest.substring("sha256:".length());
  }

  /** The same repository at another digest (a manifest of an index, a blob). */
  public OciReference at(String otherDigest) {
    return new OciReference(registry, repository, otherDigest);
  }

  @Override
  public String toString() {
    return registry + "/" + repository + "@" + digest;
  }
}
