package io.unikernetes.api.v1alpha1.spec;

/** What the agent does when the guest's domain stops (the same words as a Pod's restartPolicy). */
public enum RestartPolicy {
  /** Restart the guest whenever it stops. */
  Always,
  /** Restart the guest only when it crashed or stopped abnormally. */
  OnFailure,
  /** Never restart: the Unikernel ends Succeeded or Failed. */
  Never
}
