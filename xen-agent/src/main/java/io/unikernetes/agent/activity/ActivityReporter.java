package io.unikernetes.agent.activity;

import io.unikernetes.api.v1alpha1.ApiGroup;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.common.status.UnikernelStatusWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Reports, as status.lastActivityTime, when this node last forwarded traffic to each of its running guests
 * annotated {@value ApiGroup#ACTIVITY_REPORT_ANNOTATION}: at most once per the annotation's seconds per guest,
 * so a busy guest costs one status write per period and an idle one none after its last. When the host cannot tell
 * ({@link GuestTraffic#lastSeen} empty), the guests are reported active: a deployment is never scaled to zero
 * on a guess.
 */
public final class ActivityReporter {

  private final String nodeName;
  private final GuestTraffic traffic;
  private final Supplier<Stream<Unikernel>> guests;
  private final UnikernelStatusWriter writer;
  private final Clock clock;

  public ActivityReporter(String nodeName, GuestTraffic traffic, Supplier<Stream<Unikernel>> guests,
      UnikernelStatusWriter writer, Clock clock) {
    this.nodeName = nodeName;
    this.traffic = traffic;
    this.guests = guests;
    this.writer = writer;
    this.clock = clock;
  }

  /** One round: reads the traffic once and writes the guests whose report is due. */
  public void report() {
    List<Unikernel> wanting = guests.get().filter(this::wantsReport).toList();
    if (wanting.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    Optional<Map<String, Instant>> seen = traffic.lastSeen();
    for (Unikernel guest : wanting) {
      Optional<Instant> last = seen.isEmpty() ? Optional.of(now)
          : Optional.ofNullable(seen.get().get(guest.getStatus().getIp()));
      Optional<Instant> due = last.flatMap(at -> due(at, reported(guest), interval(guest).orElseThrow(), now));
      due.ifPresent(at -> writer.write(guest, status -> {
        status.setLastActivityTime(at.toString());
        return status;
      }));
    }
  }

  /**
   * The time to report, if a report is due: traffic seen at {@code seen} (rounded up to the second, so it is
   * never reported earlier than it came) is reported when nothing was; later traffic once {@code interval}
   * has passed since the time reported. The last traffic before a guest falls idle is thus reported too, at
   * most one interval late: the operator never takes a guest for idle before it is.
   */
  static Optional<Instant> due(Instant seen, Optional<Instant> reported, Duration interval, Instant now) {
    Instant whole = seen.truncatedTo(ChronoUnit.SECONDS);
    Instant at = whole.equals(seen) ? whole : whole.plusSeconds(1);
    if (reported.isEmpty()) {
      return Optional.of(at);
    }
    return at.isAfter(reported.get()) && !now.isBefore(reported.get().plus(interval)) ? Optional.of(at)
        : Optional.empty();
  }

  private boolean wantsReport(Unikernel guest) {
    return nodeName.equals(guest.getSpec().getNodeName()) && guest.getMetadata().getDeletionTimestamp() == null
        && guest.getStatus() != null && guest.getStatus().getPhase() == UnikernelPhase.Running
        && guest.getStatus().getIp() != null && interval(guest).isPresent();
  }

  /** The annotation's period, if it is a positive whole number of seconds. */
  static Optional<Duration> interval(Unikernel guest) {
    Map<String, String> annotations = guest.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(ApiGroup.ACTIVITY_REPORT_ANNOTATION);
    try {
      return value == null ? Optional.empty()
          : Optional.of(Integer.parseInt(value.trim())).filter(s -> s > 0).map(Duration::ofSeconds);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<Instant> reported(Unikernel guest) {
    String last = guest.getStatus().getLastActivityTime();
    try {
      return last == null ? Optional.empty() : Optional.of(Instant.parse(last));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
