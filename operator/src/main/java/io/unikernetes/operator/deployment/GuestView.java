package io.unikernetes.operator.deployment;

import java.time.Instant;

/**
 * What the rollout needs to know of one guest of a deployment.
 *
 * @param current of the current template revision
 * @param available Ready for at least minReadySeconds
 * @param failedBeforeRunning Failed without ever running (image or boot problem): kept as evidence, it holds
 *     its slot so a broken revision cannot churn guests
 * @param finished Succeeded or Failed
 * @param lost on a node whose agent stopped answering past the grace period: it may still run there, so it is
 *     replaced elsewhere but removed only once the replacements are available
 */
record GuestView(String name, boolean current, boolean available, boolean failedBeforeRunning, boolean finished,
    boolean lost, Instant created) {

  GuestView(String name, boolean current, boolean available, boolean failedBeforeRunning, boolean finished,
      Instant created) {
    this(name, current, available, failedBeforeRunning, finished, false, created);
  }

  /** A guest that occupies a replica slot: running or on its way, or a broken one kept as evidence. */
  boolean holdsSlot() {
    return !lost && (!finished || failedBeforeRunning);
  }
}
