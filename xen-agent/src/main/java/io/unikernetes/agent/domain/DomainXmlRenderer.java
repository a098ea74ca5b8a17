package io.unikernetes.agent.domain;

import io.unikernetes.agent.hypervisor.DomainMetadata;
import io.unikernetes.agent.hypervisor.DomainNames;
import io.unikernetes.agent.network.GuestInterface;
import io.unikernetes.api.v1alpha1.spec.BootMode;
import java.util.Optional;

/**
 * Turns a {@link GuestDomain} into libvirt domain XML. Pure: no I/O, the same input always gives the same
 * text (golden-file tested). Every domain is destroyed, not restarted, when it stops: the agent applies the
 * Unikernel's restartPolicy itself so it can count restarts.
 */
public final class DomainXmlRenderer {

  /** Where Debian's Xen packages keep the HVM firmware loader. */
  static final String XEN_HVMLOADER = "/usr/lib/xen-4.17/boot/hvmloader";

  private final Optional<CpuSet> guestCpus;

  /** A renderer for a node whose guests may run on every host CPU. */
  public DomainXmlRenderer() {
    this(Optional.empty());
  }

  /**
   * @param guestCpus the host CPUs guests run on (--reserved-cpus keeps the others): libvirt's {@code <vcpu
   *     cpuset>}, which pins the vCPUs on Xen and the whole QEMU process on QEMU
   */
  public DomainXmlRenderer(Optional<CpuSet> guestCpus) {
    this.guestCpus = guestCpus;
  }

  public String render(GuestDomain guest, DomainFlavor flavor) {
    StringBuilder xml = new StringBuilder();
    xml.append("<domain type='").append(flavor == DomainFlavor.XEN ? "xen" : "qemu").append("'>\n");
    xml.append("  <name>").append(escape(DomainNames.of(guest.owner()))).append("</name>\n");
    appendMetadata(xml, guest);
    xml.append("  <memory unit='KiB'>").append(guest.memory().kibibytes()).append("</memory>\n");
    xml.append("  <vcpu").append(guestCpus.map(cpus -> " cpuset='" + cpus + "'").orElse("")).append('>')
        .append(guest.vcpus()).append("</vcpu>\n");
    xml.append("  <os>\n");
    xml.append("    ").append(osType(guest.bootMode(), flavor)).append('\n');
    if (flavor == DomainFlavor.XEN && guest.bootMode() == BootMode.HVM) {
      xml.append("    <loader type='rom'>").append(XEN_HVMLOADER).append("</loader>\n");
    }
    xml.append("    <kernel>").append(escape(guest.kernel().toString())).append("</kernel>\n");
    guest.initrd().ifPresent(initrd -> xml.append("    <initrd>").append(escape(initrd.toString())).append("</initrd>\n"));
    xml.append("    <cmdline>").append(escape(guest.cmdline())).append("</cmdline>\n");
    xml.append("  </os>\n");
    if (flavor != DomainFlavor.XEN || guest.bootMode() == BootMode.HVM) {
      xml.append("  <features>\n    <acpi/>\n    <apic/>\n  </features>\n");
    }
    xml.append("  <on_poweroff>destroy</on_poweroff>\n");
    xml.append("  <on_reboot>destroy</on_reboot>\n");
    xml.append("  <on_crash>destroy</on_crash>\n");
    xml.append("  <devices>\n");
    appendConsole(xml, guest, flavor);
    for (int i = 0; i < guest.disks().size(); i++) {
      appendDisk(xml, guest.disks().get(i), i, flavor);
    }
    guest.network().ifPresent(nic -> appendInterface(xml, nic, flavor));
    if (flavor != DomainFlavor.XEN) {
      xml.append("    <controller type='usb' model='none'/>\n");
      xml.append("    <memballoon model='none'/>\n");
    }
    xml.append("  </devices>\n");
    xml.append("</domain>\n");
    return xml.toString();
  }

  private static String osType(BootMode mode, DomainFlavor flavor) {
    if (flavor != DomainFlavor.XEN) {
      if (mode == BootMode.PV) {
        throw new UnsupportedBootModeException("bootMode pv needs a Xen host; this node runs QEMU guests "
            + "(use bootMode pvh, or pin the guest to a Xen node)");
      }
      // QEMU's direct-kernel boot enters through the PVH note of the ELF, or as multiboot/Linux otherwise.
      return "<type arch='x86_64' machine='q35'>hvm</type>";
    }
    return switch (mode) {
      case PVH -> "<type arch='x86_64' machine='xenpvh'>xenpvh</type>";
      case PV -> "<type arch='x86_64' machine='xenpv'>linux</type>";
      case HVM -> "<type arch='x86_64' machine='xenfv'>hvm</type>";
    };
  }

  private static void appendMetadata(StringBuilder xml, GuestDomain guest) {
    var owner = guest.owner();
    xml.append("  <metadata>\n");
    xml.append("    <").append(DomainMetadata.PREFIX).append(':').append(DomainMetadata.ELEMENT)
        .append(" xmlns:").append(DomainMetadata.PREFIX).append("='").append(DomainMetadata.NAMESPACE_URI).append("'")
        .append(" uid='").append(escape(owner.uid())).append("'")
        .append(" namespace='").append(escape(owner.namespace())).append("'")
        .append(" name='").append(escape(owner.name())).append("'")
        .append(" node='").append(escape(owner.node())).append("'")
        // The address lives as long as the domain: the agent never gives it to another guest before.
        .append(guest.network().map(nic -> " ip='" + escape(nic.ip()) + "'").orElse(""))
        .append("/>\n");
    xml.append("  </metadata>\n");
  }

  private static void appendConsole(StringBuilder xml, GuestDomain guest, DomainFlavor flavor) {
    if (flavor == DomainFlavor.XEN && guest.bootMode() != BootMode.HVM) {
      // PV and PVH guests talk to the Xen PV console; xenconsoled logs it (see ConsoleLogs).
      xml.append("    <console type='pty'>\n      <target type='xen' port='0'/>\n    </console>\n");
      return;
    }
    xml.append("    <serial type='file'>\n");
    xml.append("      <source path='").append(escape(guest.consoleLog().toString())).append("'/>\n");
    xml.append("      <target port='0'/>\n");
    xml.append("    </serial>\n");
  }

  /**
   * A file-backed disk. QEMU guests get virtio-blk (vda, vdb...), with the volume name as serial. Xen guests get
   * a vbd (xvda...) served by QEMU's qdisk backend in dom0 (libxl's choice for files, raw or qcow2: blkback
   * needs a block device).
   */
  private static void appendDisk(StringBuilder xml, GuestDisk disk, int index, DomainFlavor flavor) {
    char letter = (char) ('a' + index);
    xml.append("    <disk type='file' device='disk'>\n");
    xml.append("      <driver name='qemu' type='").append(disk.format().libvirtType()).append("'/>\n");
    xml.append("      <source file='").append(escape(disk.file().toString())).append("'/>\n");
    if (disk.readOnly() && disk.format() == DiskFormat.QCOW2) {
      // A cached image is self-contained (checked): libvirt must not look for a backing chain in its header.
      xml.append("      <backingStore/>\n");
    }
    if (flavor == DomainFlavor.XEN) {
      xml.append("      <target dev='xvd").append(letter).append("' bus='xen'/>\n");
    } else {
      xml.append("      <target dev='vd").append(letter).append("' bus='virtio'/>\n");
      xml.append("      <serial>").append(escape(disk.name())).append("</serial>\n");
    }
    if (disk.readOnly()) {
      xml.append("      <readonly/>\n");
    }
    xml.append("    </disk>\n");
  }

  /**
   * A bridged interface: QEMU guests get virtio-net; Xen guests libxl's default, a vif (netfront) for PV and
   * PVH, plugged into the bridge by the vif-bridge hotplug script.
   */
  private static void appendInterface(StringBuilder xml, GuestInterface nic, DomainFlavor flavor) {
    xml.append("    <interface type='bridge'>\n");
    xml.append("      <mac address='").append(escape(nic.mac())).append("'/>\n");
    xml.append("      <source bridge='").append(escape(nic.bridge())).append("'/>\n");
    if (flavor != DomainFlavor.XEN) {
      xml.append("      <model type='virtio'/>\n");
    }
    xml.append("    </interface>\n");
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '\'' -> out.append("&apos;");
        case '"' -> out.append("&quot;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
