package io.unikernetes.agent.registration;

import io.unikernetes.agent.config.AgentConfig;
import io.unikernetes.agent.hypervisor.HostInfo;
import io.unikernetes.api.v1alpha1.spec.CpuAmount;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import io.unikernetes.api.v1alpha1.status.GuestOverhead;
import io.unikernetes.api.v1alpha1.status.NodeResources;

/**
 * What a host offers guests, as its XenNode reports it: capacity (the machine), allocatable (capacity less
 * dom0's memory on Xen and the agent's reservations) and the per-guest overhead the scheduler adds to each
 * guest, as Kubernetes does with a node's allocatable and a RuntimeClass's pod overhead. Pure.
 */
public record NodeCapacity(NodeResources capacity, NodeResources allocatable, MemorySize overheadMemory,
    CpuAmount overheadCpu) {

  /**
   * Per-guest memory on Xen: libxl sets aside shadow memory of 4 KiB x (256 x vCPUs + 2 x MiB of guest) plus
   * 1 MiB (LIBXL_MAXMEM_CONSTANT) for each domain: 2.1 MiB for a 1-vCPU 8 MiB guest, under 4 MiB up to 256 MiB.
   */
  static final MemorySize XEN_OVERHEAD = MemorySize.ofMebibytes(4);
  /**
   * Per-guest memory on QEMU: the QEMU process of an 8 MiB hello guest under TCG held 21 MiB of anonymous memory
   * and 43 MiB resident (shared libraries included), measured on this project's 2-core test machine.
   */
  static final MemorySize QEMU_OVERHEAD = MemorySize.ofMebibytes(32);
  /**
   * Most guests an automatic limit grants: what the shipped JVM options (-Xmx192m) hold with room to spare, as
   * 1,000 guests keep about 50 MiB live (hack/bench-agent-scale.sh). More need --max-guests and a larger heap.
   */
  public static final int AUTO_MOST_GUESTS = 2000;
  /** The smallest guest the API admits (spec.memory at least 4Mi): what an automatic guest limit assumes. */
  static final MemorySize SMALLEST_GUEST = MemorySize.ofMebibytes(4);

  public static NodeCapacity of(HostInfo host, AgentConfig config) {
    MemorySize memory = host.memory().floorToMebibytes();
    MemorySize overhead = config.guestOverheadMemory().orElseGet(() -> defaultOverhead(host));
    MemorySize allocatableMemory = memory.minus(host.hostDomainMemory()).minus(config.reservedMemory())
        .floorToMebibytes();
    CpuAmount cpus = CpuAmount.ofCores(host.cpus());
    int maxGuests = config.maxGuests().orElseGet(() -> (int) Math.min(AUTO_MOST_GUESTS,
        allocatableMemory.bytes() / SMALLEST_GUEST.plus(overhead).bytes()));
    return new NodeCapacity(new NodeResources(memory.toQuantity(), cpus.toQuantity(), maxGuests),
        new NodeResources(allocatableMemory.toQuantity(), allocatableCpu(host, config).toQuantity(), maxGuests),
        overhead, config.guestOverheadCpu());
  }

  /**
   * The host's CPUs less those of --reserved-cpus, as kubelet computes allocatable with its --reserved-cpus, or
   * else less --reserved-cpu; never below none (the agent refuses to start with every CPU reserved).
   */
  private static CpuAmount allocatableCpu(HostInfo host, AgentConfig config) {
    return config.reservedCpus().map(reserved -> CpuAmount.ofCores(Math.max(0, host.cpus() - reserved.size())))
        .orElseGet(() -> CpuAmount.ofCores(host.cpus()).minus(config.reservedCpu()));
  }

  private static MemorySize defaultOverhead(HostInfo host) {
    if (host.isXen()) {
      return XEN_OVERHEAD;
    }
    return host.isTestDriver() ? MemorySize.ZERO : QEMU_OVERHEAD;
  }

  public GuestOverhead guestOverhead() {
    return new GuestOverhead(overheadMemory.toQuantity(), overheadCpu.toQuantity());
  }
}
