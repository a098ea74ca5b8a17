package io.unikernetes.operator.nodes;

import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.status.ConditionStatus;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.common.status.UnikernelStatusWriter;
import java.time.Clock;

/** The one way a guest is marked lost: Ready=Unknown with reason NodeLost, phase and domain facts untouched. */
final class LostGuests {

  private LostGuests() {
  }

  /**
   * Marks {@code guest} lost unless it is finished, already marked, or was never confirmed on its node (a
   * pinned guest the scheduler never accepted has nothing running there); returns whether it wrote.
   */
  static boolean markLost(Unikernel guest, String message, UnikernelStatusWriter statusWriter, Clock clock) {
    var status = guest.getStatus();
    if (status == null || !Conditions.isTrue(status.getConditions(), ConditionType.Scheduled)) {
      return false;
    }
    UnikernelPhase phase = status == null ? null : status.getPhase();
    if (phase != null && phase.isTerminal()) {
      return false;
    }
    boolean marked = status != null && Conditions.find(status.getConditions(), ConditionType.Ready)
        .map(c -> c.getStatus() == ConditionStatus.Unknown && Reason.NodeLost.name().equals(c.getReason()))
        .orElse(false);
    if (marked) {
      return false;
    }
    statusWriter.write(guest, s -> {
      // Applied again to the object as stored after a conflict: a guest that finished meanwhile stays so.
      if (s.getPhase() != null && s.getPhase().isTerminal()) {
        return s;
      }
      s.setConditions(Conditions.with(s.getConditions(), ConditionType.Ready, ConditionStatus.Unknown,
          Reason.NodeLost, message, guest.getMetadata().getGeneration(), clock.instant()));
      return s;
    });
    return true;
  }
}
