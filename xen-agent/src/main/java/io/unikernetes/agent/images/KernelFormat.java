package io.unikernetes.agent.images;

import io.unikernetes.agent.domain.DomainFlavor;
import io.unikernetes.api.v1alpha1.spec.BootMode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The boot protocols a kernel image offers, read from its bytes by {@link KernelInspector}.
 *
 * @param pvhEntry an ELF note XEN_ELFNOTE_PHYS32_ENTRY (type 18, Xen's public/elfnote.h): boots as PVH on
 *     Xen and through QEMU's -kernel
 * @param xenPv Xen ELF notes of a PV kernel (ENTRY, HYPERCALL_PAGE, VIRT_BASE or GUEST_OS)
 * @param multiboot a Multiboot 1 header (GNU Multiboot specification) QEMU's -kernel boots: not in a
 *     64-bit ELF unless the header gives its load addresses
 * @param linux a Linux x86 boot header ("HdrS" at 0x202, Linux's Documentation/arch/x86/boot.rst)
 */
public record KernelFormat(boolean pvhEntry, boolean xenPv, boolean multiboot, boolean linux) {

  /** The boot modes in which {@code flavor}'s hypervisor can start this image. */
  public Set<BootMode> bootModes(DomainFlavor flavor) {
    Set<BootMode> modes = EnumSet.noneOf(BootMode.class);
    boolean qemuKernel = pvhEntry || multiboot || linux;
    switch (flavor) {
      case XEN -> {
        if (pvhEntry || linux) {
          modes.add(BootMode.PVH);
        }
        if (xenPv || linux) {
          modes.add(BootMode.PV);
        }
        if (qemuKernel) {
          modes.add(BootMode.HVM);
        }
      }
      case QEMU, TEST -> {
        if (qemuKernel) {
          modes.add(BootMode.PVH);
          modes.add(BootMode.HVM);
        }
      }
    }
    return modes;
  }

  /** The protocols found, for status.imageFormat: e.g. "pvh,multiboot"; "none" when none. */
  public String protocols() {
    List<Protocol> found = found();
    return found.isEmpty() ? "none" : String.join(",", found.stream().map(Protocol::name).toList());
  }

  /** What was found, for messages: e.g. "an ELF with Xen PV notes". */
  public String describe() {
    List<Protocol> found = found();
    return found.isEmpty() ? "no PVH note, Xen PV notes, multiboot header or Linux boot header"
        : String.join(", ", found.stream().map(Protocol::description).toList());
  }

  private record Protocol(String name, String description) {
  }

  private List<Protocol> found() {
    List<Protocol> found = new ArrayList<>();
    if (pvhEntry) {
      found.add(new Protocol("pvh", "a PVH entry note"));
    }
    if (xenPv) {
      found.add(new Protocol("xen-pv", "Xen PV notes"));
    }
    if (multiboot) {
      found.add(new Protocol("multiboot", "a multiboot header"));
    }
    if (linux) {
      found.add(new Protocol("linux", "a Linux boot header"));
    }
    return found;
  }
}
