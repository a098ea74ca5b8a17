package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the hypervisor starts the guest kernel. */
public enum BootMode {
  /** Paravirtualised hardware: the kernel enters through its PVH ELF note (XEN_ELFNOTE_PHYS32_ENTRY). */
  @JsonProperty("pvh")
  PVH,
  /** Classic Xen paravirtualisation (a PV kernel with Xen ELF notes). */
  @JsonProperty("pv")
  PV,
  /** Fully virtualised guest with emulated firmware. */
  @JsonProperty("hvm")
  HVM
}
