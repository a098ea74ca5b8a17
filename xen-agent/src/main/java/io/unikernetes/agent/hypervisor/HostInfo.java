package io.unikernetes.agent.hypervisor;

import io.unikernetes.api.v1alpha1.spec.MemorySize;

/**
 * The host as libvirt describes it. {@code memory} is the machine's total; {@code hostDomainMemory} the fixed
 * memory of the hypervisor's control domain (dom0 on Xen with dom0_mem=X,max:X, as Xen reports it), zero where
 * the host is no domain or dom0 balloons ({@code hostDomainBallooning}: its memory is not fixed).
 */
public record HostInfo(String hypervisorType, String hypervisorVersion, MemorySize memory, int cpus, String uri,
    MemorySize hostDomainMemory, boolean hostDomainBallooning) {

  /** Whether libvirt talks to Xen (its type "Xen"), rather than QEMU or its test driver. */
  public boolean isXen() {
    return "xen".equalsIgnoreCase(hypervisorType);
  }

  /** Whether libvirt's test driver stands in for a hypervisor (its type "TEST"). */
  public boolean isTestDriver() {
    return "test".equalsIgnoreCase(hypervisorType);
  }
}
