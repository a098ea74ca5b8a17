package io.unikernetes.api.v1alpha1.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00.123Z");

  @Test
  void transitionTimeMovesOnlyWhenTheStatusFlips() {
    List<Condition> pending = Conditions.with(null, ConditionType.Scheduled, ConditionStatus.False,
        Reason.Unschedulable, "0/1 nodes", 1L, T0);
    List<Condition> stillPending = Conditions.with(pending, ConditionType.Scheduled, ConditionStatus.False,
        Reason.Unschedulable, "0/2 nodes", 2L, T0.plusSeconds(30));
    assertThat(stillPending.get(0).getLastTransitionTime()).isEqualTo("2026-11-24T10:00:00Z");
    assertThat(stillPending.get(0).getMessage()).isEqualTo("0/2 nodes");
    assertThat(stillPending.get(0).getObservedGeneration()).isEqualTo(2L);

    List<Condition> bound = Conditions.with(stillPending, ConditionType.Scheduled, ConditionStatus.True, Reason.Bound,
        "bound", 2L, T0.plusSeconds(60));
    assertThat(bound).hasSize(1);
    assertThat(bound.get(0).getLastTransitionTime()).isEqualTo("2026-11-24T10:01:00Z");
    assertThat(Conditions.isTrue(bound, ConditionType.Scheduled)).isTrue();
    assertThat(Conditions.isTrue(bound, ConditionType.Ready)).isFalse();
  }

  @Test
  void eachTypeHasOneEntryAndTheInputIsNotModified() {
    List<Condition> scheduled = Conditions.with(List.of(), ConditionType.Scheduled, ConditionStatus.True, Reason.Bound,
        "bound", 1L, T0);
    List<Condition> both = Conditions.with(scheduled, ConditionType.Ready, ConditionStatus.True, Reason.Running,
        "runs", 1L, T0);
    assertThat(scheduled).hasSize(1);
    assertThat(both).extracting(Condition::getType).containsExactly("Scheduled", "Ready");
  }
}
