package io.unikernetes.agent.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unikernetes.agent.domain.DiskFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** qcow2 headers as QEMU's docs/interop/qcow2.txt lays them out (big-endian). */
class DiskFormatsTest {

  @TempDir
  Path dir;

  private Path qcow2(int version, long backingFileOffset, long incompatibleFeatures) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(104);
    header.put(new byte[] {'Q', 'F', 'I', (byte) 0xfb}).putInt(version).putLong(backingFileOffset);
    header.putLong(72, incompatibleFeatures);
    return Files.write(dir.resolve("disk-" + version + "-" + backingFileOffset + "-" + incompatibleFeatures), header.array());
  }

  @Test
  void aSelfContainedQcow2IsQcow2AndAnythingElseRaw() throws IOException {
    assertThat(DiskFormats.detect(qcow2(3, 0, 0))).isEqualTo(DiskFormat.QCOW2);
    assertThat(DiskFormats.detect(qcow2(2, 0, 0))).isEqualTo(DiskFormat.QCOW2);
    byte[] shortV2 = java.util.Arrays.copyOf(Files.readAllBytes(qcow2(2, 0, 0)), 72); // a v2 header is 72 bytes
    assertThat(DiskFormats.detect(Files.write(dir.resolve("short-v2"), shortV2))).isEqualTo(DiskFormat.QCOW2);
    assertThat(DiskFormats.detect(Files.write(dir.resolve("raw"), new byte[4096]))).isEqualTo(DiskFormat.RAW);
    assertThat(DiskFormats.detect(Files.write(dir.resolve("tiny"), new byte[] {'Q'}))).isEqualTo(DiskFormat.RAW);
  }

  @Test
  void aQcow2NamingAnotherFileIsRefused() throws IOException {
    Path backed = qcow2(3, 0x200, 0);
    assertThatThrownBy(() -> DiskFormats.detect(backed)).isInstanceOf(DiskImageRejectedException.class)
        .hasMessageContaining("names a backing file");
    Path backedV2 = qcow2(2, 0x100, 0);
    assertThatThrownBy(() -> DiskFormats.detect(backedV2)).hasMessageContaining("names a backing file");
    Path version1 = qcow2(1, 0, 0);
    assertThatThrownBy(() -> DiskFormats.detect(version1)).hasMessageContaining("version 1");
    Path externalData = qcow2(3, 0, 1L << 2);
    assertThatThrownBy(() -> DiskFormats.detect(externalData)).isInstanceOf(DiskImageRejectedException.class)
        .hasMessageContaining("external file");
  }
}
