package io.unikernetes.api.v1alpha1.status;

/** Where a guest is in its lifecycle. */
public enum UnikernelPhase {
  /** Accepted, not yet bound to a node (or no node fits). */
  Pending,
  /** Bound to a node; its agent has not started on it yet. */
  Scheduled,
  /** The agent is fetching the image or starting the domain. */
  Booting,
  /** The domain runs. */
  Running,
  /** The guest stopped normally and will not be restarted. */
  Succeeded,
  /** The guest crashed, could not boot, or its image failed verification; it will not be restarted. */
  Failed;

  public boolean isTerminal() {
    return this == Succeeded || this == Failed;
  }
}
