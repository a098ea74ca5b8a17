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
 */
record GuestView(String name, boolean current, boolean available, boolean failedBeforeRunning, boolean finished,
    Instant created) {

  /** A guest that occupies a replica slot: running or on its way, or a broken one kept as evidence. */
  boolean holdsSlot() {
    return !finished || failedBeforeRunning;
  }
}
