package io.unikernetes.agent.guests;

import io.unikernetes.api.v1alpha1.status.ConditionStatus;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.api.v1alpha1.status.UnikernelStatus;
import java.time.Instant;

/**
 * What the agent says about a guest: the status fields it owns and its Ready condition. Applying it leaves
 * the scheduler's fields (Scheduled condition, nodeName) alone.
 */
public record GuestReport(UnikernelPhase phase, Reason reason, String message, String domainUUID,
    int restartCount, String startTime, Long bootDurationMillis, String consoleHead, String imageFormat) {

  /** The report with the same domain facts as {@code status}, before anything else is decided. */
  public static GuestReport from(UnikernelStatus status) {
    var ready = Conditions.find(status.getConditions(), ConditionType.Ready);
    Reason reason = ready.map(c -> c.getReason()).flatMap(Reason::parse).orElse(null);
    return new GuestReport(status.getPhase(), reason, ready.map(c -> c.getMessage()).orElse(null),
        status.getDomainUUID(),
        status.getRestartCount() == null ? 0 : status.getRestartCount(), status.getStartTime(),
        status.getBootDurationMillis(), status.getConsoleHead(), status.getImageFormat());
  }

  public GuestReport with(UnikernelPhase newPhase, Reason newReason, String newMessage) {
    return new GuestReport(newPhase, newReason, newMessage, domainUUID, restartCount, startTime, bootDurationMillis,
        consoleHead, imageFormat);
  }

  public GuestReport started(String uuid, int restarts, Instant at) {
    return new GuestReport(phase, reason, message, uuid, restarts, at.toString(), null, "", imageFormat);
  }

  public GuestReport withDomain(String uuid) {
    return new GuestReport(phase, reason, message, uuid, restartCount, startTime, bootDurationMillis, consoleHead,
        imageFormat);
  }

  public GuestReport withConsole(String head, Long bootMillis) {
    return new GuestReport(phase, reason, message, domainUUID, restartCount, startTime,
        bootMillis == null ? bootDurationMillis : bootMillis, head, imageFormat);
  }

  /** The boot protocols found in the guest's kernel image (status.imageFormat). */
  public GuestReport withImageFormat(String format) {
    return new GuestReport(phase, reason, message, domainUUID, restartCount, startTime, bootDurationMillis,
        consoleHead, format);
  }

  /** Ready: the domain runs and no probe says otherwise (a readiness probe not passing, a liveness failure). */
  public boolean isReady() {
    return phase == UnikernelPhase.Running && reason != Reason.ProbeFailed && reason != Reason.LivenessProbeFailed;
  }

  public UnikernelStatus applyTo(UnikernelStatus status, Long generation, Instant now) {
    status.setPhase(phase);
    status.setDomainUUID(domainUUID);
    status.setRestartCount(restartCount);
    status.setStartTime(startTime);
    status.setBootDurationMillis(bootDurationMillis);
    status.setConsoleHead(consoleHead == null || consoleHead.isEmpty() ? null : consoleHead);
    status.setImageFormat(imageFormat);
    status.setObservedGeneration(generation);
    if (reason != null) {
      status.setConditions(Conditions.with(status.getConditions(), ConditionType.Ready,
          ConditionStatus.of(isReady()), reason, message, generation, now));
    }
    return status;
  }
}
