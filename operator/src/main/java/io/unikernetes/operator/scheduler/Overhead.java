package io.unikernetes.operator.scheduler;

import io.unikernetes.api.v1alpha1.spec.CpuAmount;
import io.unikernetes.api.v1alpha1.spec.MemorySize;

/** What a node charges per guest beyond its request (XenNode status.guestOverhead; RuntimeClass overhead). */
public record Overhead(MemorySize memory, CpuAmount cpu) {

  public static final Overhead NONE = new Overhead(MemorySize.ZERO, CpuAmount.ZERO);
}
