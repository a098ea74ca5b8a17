package io.unikernetes.agent.domain;

import io.unikernetes.agent.hypervisor.GuestIdentity;
import io.unikernetes.api.v1alpha1.spec.BootMode;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import java.nio.file.Path;

/** Everything the domain XML says about one guest, with paths on the host that runs it. */
public record GuestDomain(GuestIdentity owner, Path kernel, String cmdline, MemorySize memory, int vcpus,
    BootMode bootMode, Path consoleLog) {
}
