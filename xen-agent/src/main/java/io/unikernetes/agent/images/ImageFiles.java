package io.unikernetes.agent.images;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The verified files of an image in the cache.
 *
 * @param kernel the kernel file
 * @param initrd the initrd the image carries (an OCI image's); a URL image's initrd is a download of its own
 * @param convention how the files were found: "URL", or the OCI packaging convention ("KraftKit", "urunc",
 *     "Unikernetes")
 */
public record ImageFiles(Path kernel, Optional<Path> initrd, String convention) {

  public static ImageFiles url(Path kernel) {
    return new ImageFiles(kernel, Optional.empty(), "URL");
  }
}
