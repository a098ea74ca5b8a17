package io.unikernetes.operator.scheduler;

import io.unikernetes.api.v1alpha1.status.Reason;

/** The outcome of scheduling one guest; the message is written to the Scheduled condition and an Event. */
public sealed interface SchedulingDecision {

  String message();

  /** Bind the guest to {@code node}. */
  record Bind(String node, String message) implements SchedulingDecision {
  }

  /** No node fits now; {@code reason} is Unschedulable or NodeNotFound. */
  record Unschedulable(Reason reason, String message) implements SchedulingDecision {
  }
}
