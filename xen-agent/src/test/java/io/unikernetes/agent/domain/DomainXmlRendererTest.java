package io.unikernetes.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unikernetes.agent.hypervisor.DomainMetadata;
import io.unikernetes.agent.hypervisor.GuestIdentity;
import io.unikernetes.agent.network.GuestInterface;
import io.unikernetes.agent.network.GuestMacs;
import io.unikernetes.common.net.Ipv4Subnet;
import io.unikernetes.api.v1alpha1.spec.BootMode;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Golden files under src/test/resources/golden; regenerate with -Dunikernetes.golden.update=true. */
class DomainXmlRendererTest {

  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final GuestIdentity OWNER =
      new GuestIdentity("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "shop", "cart", "xen-01");

  private final DomainXmlRenderer renderer = new DomainXmlRenderer();

  private static GuestDomain guest(BootMode mode) {
    return new GuestDomain(OWNER, Path.of("/var/lib/unikernetes/images/abc.elf"), Optional.empty(), "port=8080 greeting=\"hi\" & <bye>",
        MemorySize.parse("64Mi"), 2, mode, Path.of("/var/lib/unikernetes/consoles/" + OWNER.uid() + ".log"),
        Optional.empty(), List.of());
  }

  /** A guest with each kind of volume: an overlay of a cached image, a qcow2 image read-only, a blank disk. */
  private static GuestDomain withDisks(BootMode mode) {
    GuestDomain plain = guest(mode);
    Path guestDir = Path.of("/var/lib/unikernetes/disks/" + OWNER.uid());
    return new GuestDomain(plain.owner(), plain.kernel(), plain.initrd(), "root=/dev/vda", plain.memory(),
        plain.vcpus(), mode, plain.consoleLog(), Optional.empty(), List.of(
            new GuestDisk("root", guestDir.resolve("root.qcow2"), DiskFormat.QCOW2, false),
            new GuestDisk("assets", Path.of("/var/lib/unikernetes/images/0123.elf"), DiskFormat.QCOW2, true),
            new GuestDisk("scratch", guestDir.resolve("scratch.raw"), DiskFormat.RAW, false)));
  }

  private static GuestDomain networked(BootMode mode) {
    GuestDomain plain = guest(mode);
    GuestInterface nic = new GuestInterface("ukbr0", GuestMacs.of(OWNER.uid()), "10.240.3.7",
        Ipv4Subnet.parse("10.240.3.0/24"), Optional.empty());
    return new GuestDomain(plain.owner(), plain.kernel(), Optional.of(Path.of("/var/lib/unikernetes/images/def.img")),
        "netdev.ip=10.240.3.7/24:10.240.3.1", plain.memory(),
        plain.vcpus(), mode, plain.consoleLog(), Optional.of(nic), List.of());
  }

  @ParameterizedTest
  @CsvSource({"XEN,PVH,xen-pvh-network.xml", "QEMU,PVH,qemu-pvh-network.xml"})
  void rendersTheGoldenFileOfAGuestOnTheNodeNetworkWithAnInitrd(DomainFlavor flavor, BootMode mode, String golden)
      throws IOException {
    String xml = renderer.render(networked(mode), flavor);
    Path file = GOLDEN.resolve(golden);
    if (Boolean.getBoolean("unikernetes.golden.update")) {
      Files.writeString(file, xml);
    }
    assertThat(xml).isEqualTo(Files.readString(file));
    assertThat(DomainMetadata.read(xml).orElseThrow().ip()).contains("10.240.3.7");
  }

  @ParameterizedTest
  @CsvSource({"XEN,PVH,xen-pvh-reserved-cpus.xml", "QEMU,PVH,qemu-pvh-reserved-cpus.xml"})
  void rendersTheGoldenFileOfAGuestKeptOffReservedCpus(DomainFlavor flavor, BootMode mode, String golden)
      throws IOException {
    String xml = new DomainXmlRenderer(Optional.of(CpuSet.parse("1-3,5"))).render(guest(mode), flavor);
    Path file = GOLDEN.resolve(golden);
    if (Boolean.getBoolean("unikernetes.golden.update")) {
      Files.writeString(file, xml);
    }
    assertThat(xml).isEqualTo(Files.readString(file));
  }

  @ParameterizedTest
  @CsvSource({"XEN,PVH,xen-pvh.xml", "XEN,PV,xen-pv.xml", "XEN,HVM,xen-hvm.xml", "QEMU,PVH,qemu-pvh.xml",
      "TEST,PVH,test-pvh.xml"})
  void rendersTheGoldenFile(DomainFlavor flavor, BootMode mode, String golden) throws IOException {
    String xml = renderer.render(guest(mode), flavor);
    Path file = GOLDEN.resolve(golden);
    if (Boolean.getBoolean("unikernetes.golden.update")) {
      Files.writeString(file, xml);
    }
    assertThat(xml).isEqualTo(Files.readString(file));
  }

  @ParameterizedTest
  @CsvSource({"XEN,PVH,xen-pvh-disks.xml", "QEMU,PVH,qemu-pvh-disks.xml"})
  void rendersTheGoldenFileOfAGuestWithDisks(DomainFlavor flavor, BootMode mode, String golden) throws IOException {
    String xml = renderer.render(withDisks(mode), flavor);
    Path file = GOLDEN.resolve(golden);
    if (Boolean.getBoolean("unikernetes.golden.update")) {
      Files.writeString(file, xml);
    }
    assertThat(xml).isEqualTo(Files.readString(file));
  }

  @Test
  void theRenderedMetadataNamesTheOwner() {
    String xml = renderer.render(guest(BootMode.PVH), DomainFlavor.QEMU);
    assertThat(DomainMetadata.ownerOf(xml)).contains(OWNER);
  }

  @Test
  void pvGuestsNeedXen() {
    assertThatThrownBy(() -> renderer.render(guest(BootMode.PV), DomainFlavor.QEMU))
        .isInstanceOf(UnsupportedBootModeException.class)
        .hasMessageContaining("bootMode pv needs a Xen host");
  }

  @Test
  void flavorFollowsTheUriScheme() {
    assertThat(DomainFlavor.ofUri("xen:///system")).isEqualTo(DomainFlavor.XEN);
    assertThat(DomainFlavor.ofUri("xen+tcp://127.0.0.1:16509/system")).isEqualTo(DomainFlavor.XEN);
    assertThat(DomainFlavor.ofUri("qemu:///system")).isEqualTo(DomainFlavor.QEMU);
    assertThat(DomainFlavor.ofUri("test:///default")).isEqualTo(DomainFlavor.TEST);
    assertThatThrownBy(() -> DomainFlavor.ofUri("vbox:///session")).hasMessageContaining("unsupported libvirt URI");
  }
}
