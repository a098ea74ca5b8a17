package io.unikernetes.agent.hypervisor;

import io.unikernetes.api.v1alpha1.spec.MemorySize;

/** The host as libvirt describes it. */
public record HostInfo(String hypervisorType, String hypervisorVersion, MemorySize memory, int cpus, String uri) {
}
