package io.unikernetes.agent.domain;

import io.unikernetes.agent.hypervisor.GuestIdentity;
import io.unikernetes.agent.network.GuestInterface;
import io.unikernetes.api.v1alpha1.spec.BootMode;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything the domain XML says about one guest, with paths on the host that runs it. {@code cmdline} is
 * final (variables expanded); {@code initrd} the guest's initial ramdisk, if any; {@code network} is empty for a
 * guest without a network interface; {@code disks} in the order the guest sees them (at most 26).
 */
public record GuestDomain(GuestIdentity owner, Path kernel, Optional<Path> initrd, String cmdline, MemorySize memory, int vcpus,
    BootMode bootMode, Path consoleLog, Optional<GuestInterface> network, List<GuestDisk> disks) {

  public GuestDomain {
    disks = List.copyOf(disks);
    if (disks.size() > 26) {
      throw new IllegalArgumentException("at most 26 disks (vda to vdz): " + disks.size());
    }
  }
}
