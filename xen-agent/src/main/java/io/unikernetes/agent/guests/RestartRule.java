package io.unikernetes.agent.guests;

import io.unikernetes.agent.hypervisor.StopReason;
import io.unikernetes.api.v1alpha1.spec.RestartPolicy;
import java.time.Duration;

/** What a stopped guest becomes under its restart policy, and how long to back off before restarting. */
public final class RestartRule {

  /** The fate of a stopped guest. */
  public enum Outcome { RESTART, SUCCEEDED, FAILED }

  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(10);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private RestartRule() {
  }

  public static Outcome decide(RestartPolicy policy, StopReason reason) {
    boolean clean = reason == StopReason.SHUTDOWN;
    return switch (policy) {
      case Always -> Outcome.RESTART;
      case OnFailure -> clean ? Outcome.SUCCEEDED : Outcome.RESTART;
      case Never -> clean ? Outcome.SUCCEEDED : Outcome.FAILED;
    };
  }

  /**
   * Delay between a start and the next restart, doubling with each restart (0, 10 s, 20 s ... 5 min), so a
   * guest that exits at once does not spin the host.
   */
  public static Duration backoff(int restartsSoFar) {
    if (restartsSoFar == 0) {
      return Duration.ZERO;
    }
    Duration delay = FIRST_BACKOFF.multipliedBy(1L << Math.min(restartsSoFar - 1, 10));
    return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
  }
}
