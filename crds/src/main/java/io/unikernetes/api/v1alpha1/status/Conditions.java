package io.unikernetes.api.v1alpha1.status;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rules for a list of conditions: one entry per type, and lastTransitionTime moves only when the
 * status flips, so rewriting the same state is a no-op that does not churn watchers.
 */
public final class Conditions {

  private Conditions() {
  }

  /** Returns a new list with the condition of {@code type} set; the input list is not modified. */
  public static List<Condition> with(List<Condition> current, ConditionType type, ConditionStatus status,
      Reason reason, String message, Long observedGeneration, Instant now) {
    List<Condition> result = new ArrayList<>(current == null ? List.of() : current);
    Optional<Condition> previous = find(result, type);
    String transition = previous.filter(c -> c.getStatus() == status)
        .map(Condition::getLastTransitionTime)
        .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
    Condition updated = new Condition(type, status, reason, message, transition, observedGeneration);
    previous.ifPresentOrElse(p -> result.set(result.indexOf(p), updated), () -> result.add(updated));
    return result;
  }

  public static Optional<Condition> find(List<Condition> conditions, ConditionType type) {
    return conditions == null ? Optional.empty() : conditions.stream().filter(c -> c.is(type)).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, ConditionType type) {
    return find(conditions, type).map(c -> c.getStatus() == ConditionStatus.True).orElse(false);
  }
}
