package io.unikernetes.operator.scheduler;

/** How the scheduler ranks the nodes a guest fits on. */
public enum SchedulingPolicy {
  /** The fullest node after placement: fewest hosts in use, the point of unikernels. */
  dense,
  /** The emptiest node after placement: guests spread over every host, for availability. */
  spread
}
