package io.unikernetes.agent.images.oci;

import java.util.Optional;

/**
 * The files a unikernel image boots from, found by {@link OciLayout}: at least a kernel or a disk.
 *
 * @param convention which packaging convention named them, for messages and status (e.g. "KraftKit")
 */
public record OciImageContents(String convention, Optional<OciFile> kernel, Optional<OciFile> initrd,
    Optional<OciFile> disk) {
}
