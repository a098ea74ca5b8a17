package io.unikernetes.operator.scheduler;

import io.unikernetes.api.v1alpha1.spec.MemorySize;

/** An amount of what the scheduler accounts for: memory, vCPUs and guest slots. */
public record Resources(MemorySize memory, int vcpus, int guests) {

  public static final Resources NONE = new Resources(MemorySize.ZERO, 0, 0);

  public static Resources ofGuest(MemorySize memory, int vcpus) {
    return new Resources(memory, vcpus, 1);
  }

  public Resources plus(Resources other) {
    return new Resources(memory.plus(other.memory), vcpus + other.vcpus, guests + other.guests);
  }

  public Resources minus(Resources other) {
    return new Resources(memory.minus(other.memory), vcpus - other.vcpus, guests - other.guests);
  }
}
