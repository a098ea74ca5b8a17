package io.unikernetes.agent.volumes;

import io.unikernetes.agent.domain.DiskFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Tells a disk image's format from its first bytes, as qemu-img's probe does for the two formats used here. */
public final class DiskFormats {

  /** qcow2's magic, "QFI\xfb" (QEMU's docs/interop/qcow2.txt, header bytes 0-3). */
  private static final byte[] QCOW2_MAGIC = {'Q', 'F', 'I', (byte) 0xfb};

  private DiskFormats() {
  }

  /** qcow2 when the file starts with its magic, else raw. IOException when the file cannot be read. */
  public static DiskFormat detect(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(4), QCOW2_MAGIC) ? DiskFormat.QCOW2 : DiskFormat.RAW;
    }
  }
}
