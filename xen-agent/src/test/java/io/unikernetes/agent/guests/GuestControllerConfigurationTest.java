package io.unikernetes.agent.guests;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.status.ConditionStatus;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.api.v1alpha1.status.UnikernelStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestControllerConfigurationTest {

  private static Unikernel guest(long generation, boolean confirmed, UnikernelPhase phase) {
    Unikernel guest = new Unikernel();
    guest.getMetadata().setGeneration(generation);
    UnikernelStatus status = new UnikernelStatus();
    status.setPhase(phase);
    if (confirmed) {
      status.setConditions(Conditions.with(List.of(), ConditionType.Scheduled, ConditionStatus.True, Reason.Bound,
          "bound", generation, Instant.EPOCH));
    }
    guest.setStatus(status);
    return guest;
  }

  @Test
  void theSchedulersConfirmationWakesTheAgent() {
    assertThat(GuestControllerConfiguration.matters(guest(1, false, null), guest(1, true, null))).isTrue();
  }

  @Test
  void theAgentsOwnStatusWritesDoNot() {
    assertThat(GuestControllerConfiguration.matters(guest(1, true, UnikernelPhase.Booting),
        guest(1, true, UnikernelPhase.Running))).isFalse();
  }

  @Test
  void specChangesDeletionAndFinalizersDo() {
    assertThat(GuestControllerConfiguration.matters(guest(1, true, null), guest(2, true, null))).isTrue();
    Unikernel deleting = guest(1, true, null);
    deleting.getMetadata().setDeletionTimestamp("2026-11-30T10:00:00Z");
    assertThat(GuestControllerConfiguration.matters(guest(1, true, null), deleting)).isTrue();
    Unikernel finalized = guest(1, true, null);
    finalized.getMetadata().setFinalizers(List.of("unikernetes.io/domain-cleanup"));
    assertThat(GuestControllerConfiguration.matters(guest(1, true, null), finalized)).isTrue();
  }

  @Test
  void aGuestFirstSeenWaitsForTheSchedulersConfirmationUnlessItIsBeingDeleted() {
    assertThat(GuestControllerConfiguration.worthAdding(guest(1, false, null))).isFalse();
    assertThat(GuestControllerConfiguration.worthAdding(guest(1, true, null))).isTrue();
    Unikernel deleting = guest(1, false, null);
    deleting.getMetadata().setDeletionTimestamp("2026-11-30T10:00:00Z");
    assertThat(GuestControllerConfiguration.worthAdding(deleting)).isTrue();
  }
}
