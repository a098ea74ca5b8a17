package io.unikernetes.agent.domain;

import java.util.Locale;

/** The family of libvirt driver behind a connection URI; it decides the shape of the domain XML. */
public enum DomainFlavor {
  /** libxl: Xen PVH / PV / HVM guests. */
  XEN,
  /** QEMU direct-kernel boot, for development and tests on hosts without Xen. */
  QEMU,
  /** libvirt's test driver: nothing runs; QEMU-shaped XML. */
  TEST;

  public static DomainFlavor ofUri(String uri) {
    String scheme = uri.toLowerCase(Locale.ROOT).split(":", 2)[0].split("\\+", 2)[0];
    return switch (scheme) {
      case "xen" -> XEN;
      case "qemu" -> QEMU;
      case "test" -> TEST;
      default -> throw new IllegalArgumentException("unsupported libvirt URI '" + uri
          + "': use xen:///system, qemu:///system or test:///default");
    };
  }
}
