package io.unikernetes.agent.images.oci;

import java.util.List;
import java.util.Optional;

/**
 * Where a file of an image is.
 *
 * @param candidates the blobs that may hold it, to search in order: one blob when the manifest says which,
 *     else every tar layer from the last to the first (a later layer overrides an earlier one)
 * @param pathInTar the file's path inside a tar layer, without a leading slash; empty when the blob is the file
 */
public record OciFile(List<OciBlob> candidates, Optional<String> pathInTar) {

  public static OciFile rawBlob(OciBlob blob) {
    return new OciFile(List.of(blob), Optional.empty());
  }

  public static OciFile inTar(List<OciBlob> layers, String path) {
    String relative = path.replaceFirst("^\\./", "").replaceFirst("^/+", "");
    return new OciFile(List.copyOf(layers), Optional.of(relative));
  }

  /** For messages: "layer sha256:ab… (raw)" or "/unikraft/bin/kernel in a tar layer". */
  public String describe() {
    return pathInTar.map(p -> "/" + p + " in " + (candidates.size() == 1 ? "layer " + candidates.get(0).digest()
        : "the image's tar layers")).orElse("layer " + candidates.get(0).digest());
  }
}
