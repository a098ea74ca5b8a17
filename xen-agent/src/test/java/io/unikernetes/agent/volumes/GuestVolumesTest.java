package io.unikernetes.agent.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unikernetes.agent.domain.DiskFormat;
import io.unikernetes.agent.domain.GuestDisk;
import io.unikernetes.api.v1alpha1.spec.DiskSource;
import io.unikernetes.api.v1alpha1.spec.GuestVolume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-guest disk files, with qemu-img replaced by a recorder (DiskVolumesE2E runs the real one). */
class GuestVolumesTest {

  private static final DiskSource DISK = new DiskSource("https://x.org/d.img", "0".repeat(64));

  @TempDir
  Path dir;

  private final List<String> overlaysMade = new ArrayList<>();
  private final QemuImg recorder = new QemuImg("qemu-img") {
    @Override
    public void createOverlay(Path base, DiskFormat baseFormat, Path overlay) throws IOException {
      overlaysMade.add(base.getFileName() + " " + baseFormat + " -> " + overlay.getFileName());
      Files.write(overlay, new byte[] {'Q', 'F', 'I', (byte) 0xfb});
    }
  };

  @Test
  void makesEachKindOfDiskOnceAndKeepsItUntilTheGuestIsReleased() throws IOException {
    Path raw = Files.write(dir.resolve("base.img"), new byte[4096]);
    byte[] header = new byte[104]; // a self-contained qcow2 v3 header: no backing file, no external data
    System.arraycopy(new byte[] {'Q', 'F', 'I', (byte) 0xfb, 0, 0, 0, 3}, 0, header, 0, 8);
    Path qcow2 = Files.write(dir.resolve("base.qcow2"), header);
    GuestVolumes volumes = new GuestVolumes(dir.resolve("disks"), recorder);
    List<GuestVolume> spec = List.of(GuestVolume.image("root", DISK, false), GuestVolume.image("assets", DISK, true),
        GuestVolume.emptyDisk("scratch", "64Mi"));

    List<GuestDisk> disks = volumes.prepare("uid-1", spec, Map.of("root", raw, "assets", qcow2));

    Path guestDir = dir.resolve("disks/uid-1");
    assertThat(disks).containsExactly(
        new GuestDisk("root", guestDir.resolve("root.qcow2"), DiskFormat.QCOW2, false),
        new GuestDisk("assets", qcow2, DiskFormat.QCOW2, true),
        new GuestDisk("scratch", guestDir.resolve("scratch.raw"), DiskFormat.RAW, false));
    assertThat(overlaysMade).containsExactly("base.img RAW -> root.qcow2.partial");
    assertThat(Files.size(guestDir.resolve("scratch.raw"))).isEqualTo(64L << 20);
    assertThat(guestDir.resolve("root.qcow2.partial")).doesNotExist();

    // A restart of the guest: the same files, none made again (its writes survive).
    Files.writeString(guestDir.resolve("scratch.raw"), "written");
    assertThat(volumes.prepare("uid-1", spec, Map.of("root", raw, "assets", qcow2))).isEqualTo(disks);
    assertThat(overlaysMade).hasSize(1);
    assertThat(Files.readString(guestDir.resolve("scratch.raw"))).isEqualTo("written");
    assertThat(volumes.guestsWithFiles()).containsExactly("uid-1");

    volumes.release("uid-1");
    assertThat(guestDir).doesNotExist();
    assertThat(raw).exists();
    assertThat(volumes.guestsWithFiles()).isEmpty();
  }

  @Test
  void aFailureNamesTheVolume() {
    QemuImg missing = new QemuImg(dir.resolve("no-such-qemu-img").toString());
    GuestVolumes volumes = new GuestVolumes(dir.resolve("disks"), missing);
    assertThatThrownBy(() -> volumes.prepare("uid-2", List.of(GuestVolume.image("root", DISK, false)),
        Map.of("root", Files.write(dir.resolve("base.img"), new byte[512]))))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("volume root: cannot run ")
        .hasMessageContaining("install qemu-utils on this node");
  }
}
