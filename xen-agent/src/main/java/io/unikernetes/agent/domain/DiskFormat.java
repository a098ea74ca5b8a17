package io.unikernetes.agent.domain;

/** A disk file's format, as libvirt's {@code <driver type='...'/>} names it. */
public enum DiskFormat {
  RAW("raw"),
  QCOW2("qcow2");

  private final String libvirtType;

  DiskFormat(String libvirtType) {
    this.libvirtType = libvirtType;
  }

  public String libvirtType() {
    return libvirtType;
  }
}
