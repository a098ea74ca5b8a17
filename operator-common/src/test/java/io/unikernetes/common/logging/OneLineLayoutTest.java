package io.unikernetes.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class OneLineLayoutTest {

  private final LoggerContext context = new LoggerContext();
  private final OneLineLayout layout = new OneLineLayout();

  private String render(String message, Throwable thrown) {
    LoggingEvent event = new LoggingEvent("x", context.getLogger("io.unikernetes.agent.guests.GuestReconciler"),
        Level.WARN, message, thrown, null);
    event.setTimeStamp(1_796_000_000_123L);
    event.setThreadName("reconciler-1");
    return layout.doLayout(event);
  }

  @Test
  void anEventIsOneLineWithTimeLevelThreadAndShortLogger() {
    assertThat(render("guest web started", null))
        .isEqualTo("2026-11-30T00:53:20.123Z WARN  [reconciler-1] i.u.a.g.GuestReconciler - guest web started\n");
  }

  @Test
  void anExceptionAndItsCausesStayOnTheLine() {
    IOException cause = new IOException("connection reset");
    String line = render("status write failed", new IllegalStateException("write failed", cause));
    assertThat(line).endsWith("status write failed | IllegalStateException: write failed <- IOException: "
        + "connection reset (at OneLineLayoutTest.anExceptionAndItsCausesStayOnTheLine:" + lineOf(cause) + ")\n");
    assertThat(line.lines()).hasSize(1);
  }

  @Test
  void controlCharactersAreEscaped() {
    String line = render("console: \u001b[0mREADY\r\nnext", null);
    assertThat(line).contains("console: \\u001b[0mREADY\\u000d\\u000anext").doesNotContain("\u001b");
    assertThat(line.lines()).hasSize(1);
  }

  private static int lineOf(Throwable thrown) {
    return thrown.getStackTrace()[0].getLineNumber();
  }
}
