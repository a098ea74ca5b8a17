package io.unikernetes.agent.activity;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.api.v1alpha1.ApiGroup;
import io.unikernetes.api.v1alpha1.Unikernel;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ActivityReporterTest {

  private static final Instant SEEN = Instant.parse("2026-12-06T12:00:07.600Z");

  @Test
  void theFirstTrafficIsReportedRoundedUpToTheSecond() {
    assertThat(ActivityReporter.due(SEEN, Optional.empty(), Duration.ofSeconds(15), SEEN))
        .contains(Instant.parse("2026-12-06T12:00:08Z"));
  }

  @Test
  void laterTrafficIsReportedOncePerPeriodAndTheLastOfItToo() {
    Instant reported = Instant.parse("2026-12-06T12:00:00Z");
    Duration period = Duration.ofSeconds(15);
    // Busy: nothing written before the period has passed since the time reported, then the latest traffic.
    assertThat(ActivityReporter.due(SEEN, Optional.of(reported), period, SEEN)).isEmpty();
    assertThat(ActivityReporter.due(SEEN.plusSeconds(8), Optional.of(reported), period, SEEN.plusSeconds(8)))
        .contains(Instant.parse("2026-12-06T12:00:16Z"));
    // Gone quiet at 12:00:07.6: that last traffic is still reported, once the period allows a write.
    assertThat(ActivityReporter.due(SEEN, Optional.of(reported), period, reported.plusSeconds(40)))
        .contains(Instant.parse("2026-12-06T12:00:08Z"));
    // Nothing newer than what was reported: no write.
    assertThat(ActivityReporter.due(reported, Optional.of(reported), period, reported.plusSeconds(40))).isEmpty();
  }

  @Test
  void thePeriodIsTheAnnotationsPositiveWholeSeconds() {
    assertThat(ActivityReporter.interval(annotated("15"))).contains(Duration.ofSeconds(15));
    assertThat(ActivityReporter.interval(annotated("0"))).isEmpty();
    assertThat(ActivityReporter.interval(annotated("15s"))).isEmpty();
    assertThat(ActivityReporter.interval(new Unikernel())).isEmpty();
  }

  private static Unikernel annotated(String value) {
    Unikernel guest = new Unikernel();
    guest.getMetadata().setAnnotations(Map.of(ApiGroup.ACTIVITY_REPORT_ANNOTATION, value));
    return guest;
  }
}
