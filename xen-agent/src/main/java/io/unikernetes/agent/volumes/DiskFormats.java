package io.unikernetes.agent.volumes;

import io.unikernetes.agent.domain.DiskFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Tells a disk image's format from its first bytes, as qemu-img's probe does for the two formats used here, and
 * refuses a qcow2 image that is not self-contained.
 */
public final class DiskFormats {

  /** qcow2's magic, "QFI\xfb" (QEMU's docs/interop/qcow2.txt, header bytes 0-3). */
  private static final byte[] QCOW2_MAGIC = {'Q', 'F', 'I', (byte) 0xfb};
  /** qcow2 v3 incompatible feature bit 2: the guest data lives in an external file the header names. */
  private static final long EXTERNAL_DATA_FILE = 1L << 2;

  private DiskFormats() {
  }

  /**
   * qcow2 when the file starts with its magic, else raw. DiskImageRejectedException for a qcow2 image naming a
   * backing file or an external data file: a file from a registry or a URL must never make the host open
   * another file for the guest (/etc/shadow, another guest's disk). IOException when the file cannot be read.
   */
  public static DiskFormat detect(Path file) throws IOException {
    byte[] header;
    try (InputStream in = Files.newInputStream(file)) {
      header = in.readNBytes(80);
    }
    if (header.length < 4 || !Arrays.equals(Arrays.copyOf(header, 4), QCOW2_MAGIC)) {
      return DiskFormat.RAW;
    }
    if (header.length < 72) {
      throw new DiskImageRejectedException("a qcow2 image with a truncated header (" + header.length + " bytes)");
    }
    ByteBuffer fields = ByteBuffer.wrap(header); // big-endian, as qcow2 is
    int version = fields.getInt(4);
    if (version < 2) {
      throw new DiskImageRejectedException("a qcow2 image of version " + version + ": QEMU reads versions 2 and 3 "
          + "(qemu-img convert -O qcow2 rewrites one)");
    }
    if (fields.getLong(8) != 0) {
      throw new DiskImageRejectedException("a qcow2 image that names a backing file: only self-contained disk "
          + "images are attached (qemu-img convert -O qcow2 flattens one)");
    }
    if (version >= 3 && header.length >= 80 && (fields.getLong(72) & EXTERNAL_DATA_FILE) != 0) {
      throw new DiskImageRejectedException("a qcow2 image whose data lives in an external file: only "
          + "self-contained disk images are attached (qemu-img convert -O qcow2 flattens one)");
    }
    return DiskFormat.QCOW2;
  }
}
