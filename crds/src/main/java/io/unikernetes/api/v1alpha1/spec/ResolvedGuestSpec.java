package io.unikernetes.api.v1alpha1.spec;

import java.util.Map;

/** A Unikernel's spec with every default applied: what the scheduler accounts for and the agent boots. */
public record ResolvedGuestSpec(
    ImageSource image,
    String cmdline,
    MemorySize memory,
    int vcpus,
    CpuAmount cpuRequest,
    BootMode bootMode,
    RestartPolicy restartPolicy,
    Map<String, String> nodeSelector,
    NetworkMode network) {
}
