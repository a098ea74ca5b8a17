package io.unikernetes.operator.scaletozero;

import io.unikernetes.api.v1alpha1.spec.ScaleToZero;
import io.unikernetes.api.v1alpha1.status.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a scale-to-zero deployment should go to zero, and what its ScaledToZero condition says. Going to zero
 * takes two steps, as Knative's scale-to-zero grace period does: once idle for idleAfterSeconds the deployment
 * drains (its Services send new connections through the activator, which still relays them to the running
 * guests, and the guests' own reports have time to arrive); only if nothing came during the drain grace is it
 * scaled to zero. A request during the drain is relayed and counts: the deployment serves again. Pure.
 */
public final class IdlePolicy {

  /** What the deployment does now: the condition's reason tells it to the Services' controller too. */
  public enum Step { SERVE, DRAIN, SCALE_DOWN, STAY }

  /**
   * The decision.
   *
   * @param step serve, drain (keep the replicas, route through the activator), scale to 0 now, or stay as it is
   * @param scaledToZero the condition's status
   * @param recheckIn when to look again, if the answer can change with time alone
   */
  public record Decision(Step step, boolean scaledToZero, Reason reason, String message,
      Optional<Duration> recheckIn) {
  }

  /**
   * What the decision depends on.
   *
   * @param lastActivity the latest request, guest report, spec change or first sight
   * @param drainingSince when this drain began, if the deployment drains
   * @param drainGrace how long a drain lasts: longer than a guest's traffic takes to be reported
   * @param autoscaler the HorizontalPodAutoscaler asking for at least one replica, if any
   * @param activatorAvailable whether this operator runs an activator that could wake the deployment
   * @param routed whether a Service port of the activator fronts the deployment (else nothing could wake it)
   * @param waking whether a wake is under way (held requests wait for a guest)
   */
  public record Facts(ScaleToZero spec, int replicas, Instant lastActivity, Optional<Instant> drainingSince,
      Duration drainGrace, Optional<String> autoscaler, boolean activatorAvailable, boolean routed,
      boolean waking) {
  }

  private IdlePolicy() {
  }

  public static Decision decide(Facts facts, Instant now) {
    Duration idleAfter = facts.spec().idleAfter();
    if (!facts.activatorAvailable()) {
      return new Decision(Step.STAY, false, Reason.ActivatorUnavailable, "the operator runs without an activator "
          + "(--activator-address): nothing could wake this deployment, so idling does not scale it to zero",
          Optional.empty());
    }
    if (facts.replicas() == 0) {
      return new Decision(Step.STAY, true, Reason.Idle, "0 replicas: the activator holds the next request to one "
          + "of its Services and wakes it", Optional.empty());
    }
    if (facts.autoscaler().isPresent()) {
      return new Decision(Step.STAY, false, Reason.AutoscalerMinReplicas, "HorizontalPodAutoscaler "
          + facts.autoscaler().get() + " asks for at least one replica", Optional.empty());
    }
    if (!facts.routed()) {
      return new Decision(Step.STAY, false, Reason.NoService, "no Service with a TCP port selects its guests: "
          + "nothing could wake it, so idling does not scale it to zero", Optional.of(idleAfter));
    }
    Duration idleFor = Duration.between(facts.lastActivity(), now);
    if (idleFor.compareTo(idleAfter) < 0 || facts.waking()) {
      Duration left = idleAfter.minus(idleFor);
      return new Decision(Step.SERVE, false, Reason.Serving, "serving; scaled to zero after "
          + idleAfter.toSeconds() + " s without a request",
          Optional.of(left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left));
    }
    String drain = "no request for " + idleAfter.toSeconds() + " s: its Services go through the activator; "
        + "scaled to zero unless a request comes within " + facts.drainGrace().toSeconds() + " s";
    if (facts.drainingSince().isEmpty()) {
      return new Decision(Step.DRAIN, false, Reason.Draining, drain, Optional.of(facts.drainGrace()));
    }
    Duration drained = Duration.between(facts.drainingSince().get(), now);
    if (drained.compareTo(facts.drainGrace()) < 0) {
      return new Decision(Step.DRAIN, false, Reason.Draining, drain,
          Optional.of(facts.drainGrace().minus(drained)));
    }
    return new Decision(Step.SCALE_DOWN, true, Reason.Idle, "no request for " + idleAfter.toSeconds() + " s and "
        + "none while draining: scaled to zero; the activator holds the next request to one of its Services and "
        + "wakes it", Optional.empty());
  }
}
