package io.unikernetes.agent.domain;

import java.nio.file.Path;

/**
 * One block device of a guest, in the order the guest sees them.
 *
 * @param name the volume's name (spec.volumes[].name), the disk's serial on QEMU
 * @param file the file on the host: a cached image (read-only), the guest's overlay or its blank disk
 * @param format the file's own format (an overlay is qcow2 whatever its base is)
 * @param readOnly whether the guest may not write it
 */
public record GuestDisk(String name, Path file, DiskFormat format, boolean readOnly) {
}
