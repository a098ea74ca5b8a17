package io.unikernetes.operator.deployment;

import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.status.ConditionStatus;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.api.v1alpha1.status.UnikernelDeploymentStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.time.temporal.ChronoUnit;

/**
 * A UnikernelDeployment's status from its guests: counts, Available and Progressing, and the kstatus
 * conditions. Progress is a new revision or a change of the updated or available counts; a rollout with none
 * for progressDeadlineSeconds is stuck: Progressing False, Stalled True, and it says which guests fail and why.
 */
final class DeploymentStatusRules {

  /** The facts the status is computed from. */
  record Facts(int replicas, int minAvailable, String revision, String selector, long generation,
      int total, int updated, int ready, int available, boolean oldGuestsLeft, List<Unikernel> brokenGuests,
      Duration progressDeadline) {

    boolean complete() {
      return updated == replicas && available == replicas && !oldGuestsLeft;
    }
  }

  private DeploymentStatusRules() {
  }

  static UnikernelDeploymentStatus compute(UnikernelDeploymentStatus previous, Facts facts, Instant now) {
    UnikernelDeploymentStatus status = new UnikernelDeploymentStatus();
    status.setConditions(previous == null ? null : previous.getConditions());
    status.setReplicas(facts.total());
    status.setUpdatedReplicas(facts.updated());
    status.setReadyReplicas(facts.ready());
    status.setAvailableReplicas(facts.available());
    status.setUnavailableReplicas(Math.max(0, facts.replicas() - facts.available()));
    status.setCurrentRevision(facts.revision());
    status.setSelector(facts.selector());
    status.setObservedGeneration(facts.generation());
    Long generation = facts.generation();

    boolean available = facts.available() >= facts.minAvailable();
    set(status, ConditionType.Available, available,
        available ? Reason.MinimumReplicasAvailable : Reason.MinimumReplicasUnavailable,
        facts.available() + " of " + facts.replicas() + " guests available (minimum " + facts.minAvailable() + ")",
        generation, now);

    boolean progressed = previous == null || !facts.revision().equals(previous.getCurrentRevision())
        || !Integer.valueOf(facts.updated()).equals(previous.getUpdatedReplicas())
        || !Integer.valueOf(facts.available()).equals(previous.getAvailableReplicas());
    Instant lastProgress = progressed || previous.getLastProgressTime() == null
        ? now.truncatedTo(ChronoUnit.SECONDS) : Instant.parse(previous.getLastProgressTime());
    status.setLastProgressTime(lastProgress.toString());
    boolean stuck = !facts.complete() && Duration.between(lastProgress, now).compareTo(facts.progressDeadline()) > 0;
    String rollout = "revision " + facts.revision() + ": " + facts.updated() + " of " + facts.replicas()
        + " guests updated, " + facts.available() + " available";
    if (facts.complete()) {
      set(status, ConditionType.Progressing, true, Reason.NewRevisionAvailable, rollout + "; rollout complete",
          generation, now);
    } else if (stuck) {
      set(status, ConditionType.Progressing, false, Reason.ProgressDeadlineExceeded, rollout
          + "; no progress for " + facts.progressDeadline().toSeconds() + " s, old guests kept running"
          + brokenDetail(facts.brokenGuests()), generation, now);
    } else {
      set(status, ConditionType.Progressing, true, Reason.RolloutInProgress, rollout + brokenDetail(facts.brokenGuests()),
          generation, now);
    }
    set(status, ConditionType.Reconciling, !facts.complete() && !stuck,
        facts.complete() || stuck ? Reason.Settled : Reason.Progressing, rollout, generation, now);
    set(status, ConditionType.Stalled, stuck, stuck ? Reason.ProgressDeadlineExceeded : Reason.Settled, rollout,
        generation, now);
    return status;
  }

  /** A deployment that cannot run as written: Stalled, not Progressing, with what to fix. */
  static UnikernelDeploymentStatus invalid(UnikernelDeploymentStatus previous, Reason reason, String message,
      long generation, Instant now) {
    UnikernelDeploymentStatus status = previous == null ? new UnikernelDeploymentStatus() : previous;
    status.setObservedGeneration(generation);
    set(status, ConditionType.Progressing, false, reason, message, generation, now);
    set(status, ConditionType.Reconciling, false, Reason.Settled, message, generation, now);
    set(status, ConditionType.Stalled, true, reason, message, generation, now);
    return status;
  }

  private static String brokenDetail(List<Unikernel> broken) {
    if (broken.isEmpty()) {
      return "";
    }
    Unikernel first = broken.get(0);
    String why = Conditions.find(first.getStatus().getConditions(), ConditionType.Ready)
        .map(c -> c.getReason() + ": " + c.getMessage()).orElse("failed");
    return "; " + broken.size() + " new guest(s) failed, e.g. " + first.getMetadata().getName() + " (" + why + ")";
  }

  private static void set(UnikernelDeploymentStatus status, ConditionType type, boolean value, Reason reason,
      String message, Long generation, Instant at) {
    status.setConditions(Conditions.with(status.getConditions(), type, ConditionStatus.of(value), reason, message,
        generation, at));
  }
}
