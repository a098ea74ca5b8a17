package io.unikernetes.agent.images;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The verified files of an image in the cache.
 *
 * @param kernel the kernel file; empty for an OCI image that carries only a disk
 * @param initrd the initrd the image carries (an OCI image's); a URL image's initrd is a download of its own
 * @param disk the disk image the image carries (an OCI image's disk layer)
 * @param convention how the files were found: "URL", or the OCI packaging convention ("KraftKit", "urunc",
 *     "Unikernetes")
 */
public record ImageFiles(Optional<Path> kernel, Optional<Path> initrd, Optional<Path> disk, String convention) {

  /** A file downloaded from a URL: one file, which is the kernel, initrd or disk the guest asked it for. */
  public static ImageFiles url(Path file) {
    return new ImageFiles(Optional.of(file), Optional.empty(), Optional.of(file), "URL");
  }
}
