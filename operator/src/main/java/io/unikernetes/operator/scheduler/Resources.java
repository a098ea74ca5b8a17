package io.unikernetes.operator.scheduler;

import io.unikernetes.api.v1alpha1.spec.CpuAmount;
import io.unikernetes.api.v1alpha1.spec.MemorySize;

/** An amount of what the scheduler accounts for: memory, CPU and guest slots. */
public record Resources(MemorySize memory, CpuAmount cpu, int guests) {

  public static final Resources NONE = new Resources(MemorySize.ZERO, CpuAmount.ZERO, 0);

  public static Resources ofGuest(MemorySize memory, CpuAmount cpu) {
    return new Resources(memory, cpu, 1);
  }

  public Resources plus(Resources other) {
    return new Resources(memory.plus(other.memory), cpu.plus(other.cpu), guests + other.guests);
  }

  public Resources minus(Resources other) {
    return new Resources(memory.minus(other.memory), cpu.minus(other.cpu), guests - other.guests);
  }

  /** These guests' requests with a node's per-guest overhead added once per guest, as the node is charged. */
  public Resources charged(Overhead overhead) {
    return new Resources(memory.plus(overhead.memory().times(guests)), cpu.plus(overhead.cpu().times(guests)),
        guests);
  }
}
