package io.unikernetes.operator.scaletozero;

import io.unikernetes.api.v1alpha1.spec.ScaleToZero;
import io.unikernetes.api.v1alpha1.status.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Whether a scale-to-zero deployment should go to zero now, and what its ScaledToZero condition says. Pure. */
public final class IdlePolicy {

  /**
   * The decision.
   *
   * @param scaleDown scale to 0 replicas now
   * @param scaledToZero the condition's status
   * @param recheckIn when to look again (the idle deadline), if the answer can change with time alone
   */
  public record Decision(boolean scaleDown, boolean scaledToZero, Reason reason, String message,
      Optional<Duration> recheckIn) {
  }

  /**
   * What holds the deployment up, if anything.
   *
   * @param autoscaler the HorizontalPodAutoscaler asking for at least one replica, if any
   * @param activatorAvailable whether this operator runs an activator that could wake the deployment
   * @param waking whether a wake is under way (held requests wait for a guest)
   */
  public record Facts(ScaleToZero spec, int replicas, Instant lastActivity, Optional<String> autoscaler,
      boolean activatorAvailable, boolean waking) {
  }

  private IdlePolicy() {
  }

  public static Decision decide(Facts facts, Instant now) {
    Duration idleAfter = facts.spec().idleAfter();
    if (!facts.activatorAvailable()) {
      return new Decision(false, false, Reason.ActivatorUnavailable, "the operator runs without an activator "
          + "(--activator-address): nothing could wake this deployment, so idling does not scale it to zero",
          Optional.empty());
    }
    if (facts.replicas() == 0) {
      return new Decision(false, true, Reason.Idle, "0 replicas: the activator holds the next request to one of "
          + "its Services and wakes it", Optional.empty());
    }
    if (facts.autoscaler().isPresent()) {
      return new Decision(false, false, Reason.AutoscalerMinReplicas, "HorizontalPodAutoscaler "
          + facts.autoscaler().get() + " asks for at least one replica", Optional.empty());
    }
    Duration idleFor = Duration.between(facts.lastActivity(), now);
    if (idleFor.compareTo(idleAfter) >= 0 && !facts.waking()) {
      return new Decision(true, true, Reason.Idle, "no request for " + idleAfter.toSeconds()
          + " s: scaled to zero; the activator holds the next request to one of its Services and wakes it",
          Optional.empty());
    }
    Duration left = idleAfter.minus(idleFor);
    return new Decision(false, false, Reason.Serving, "serving; scaled to zero after " + idleAfter.toSeconds()
        + " s without a request", Optional.of(left.isNegative() ? Duration.ofSeconds(1) : left));
  }
}
