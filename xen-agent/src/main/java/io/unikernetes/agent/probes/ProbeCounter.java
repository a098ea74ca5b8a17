package io.unikernetes.agent.probes;

/**
 * Consecutive probe results against thresholds, as the kubelet counts them: the verdict turns to passing
 * after {@code successThreshold} passes in a row and to failing after {@code failureThreshold} failures in a
 * row. A readiness probe starts failing (a guest is not Ready before its probe passed), a liveness probe
 * passing (a guest is alive until proven otherwise). Not thread-safe; one probe runs at a time per counter.
 */
final class ProbeCounter {

  private final int successThreshold;
  private final int failureThreshold;
  private boolean passing;
  private int successes;
  private int failures;
  private String message;

  ProbeCounter(int successThreshold, int failureThreshold, boolean initiallyPassing, String initialMessage) {
    this.successThreshold = successThreshold;
    this.failureThreshold = failureThreshold;
    this.passing = initiallyPassing;
    this.message = initialMessage;
  }

  /** Counts a result; true when the verdict changed. */
  boolean record(ProbeResult result) {
    message = result.message();
    if (result.success()) {
      successes++;
      failures = 0;
      if (!passing && successes >= successThreshold) {
        passing = true;
        return true;
      }
    } else {
      failures++;
      successes = 0;
      if (passing && failures >= failureThreshold) {
        passing = false;
        return true;
      }
    }
    return false;
  }

  boolean passing() {
    return passing;
  }

  int failures() {
    return failures;
  }

  String message() {
    return message;
  }
}
