package io.unikernetes.agent.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.api.v1alpha1.status.ConsoleBoot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConsoleWindowTest {

  private static final Instant T0 = Instant.parse("2026-11-30T21:00:00Z");

  private static boolean feed(ConsoleWindow window, String text, Instant at) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return window.append(bytes, bytes.length, at);
  }

  @Test
  void keepsCompleteLinesAndHoldsAPartialOneUntilItsNewline() {
    ConsoleWindow window = new ConsoleWindow(0, T0, 1024);
    assertThat(feed(window, "booting\r\nREADY cmd", T0)).isTrue();
    ConsoleBoot boot = window.toBoot();
    assertThat(boot.getText()).isEqualTo("booting\n");
    assertThat(boot.getBytesRead()).as("the partial line is read again after a restart").isEqualTo(9);
    assertThat(feed(window, "line=a\n", T0.plusSeconds(1))).isTrue();
    assertThat(window.toBoot().getText()).isEqualTo("booting\nREADY cmdline=a\n");
    assertThat(window.toBoot().getMarks()).extracting(m -> m.getLine()).containsExactly(0L, 1L);
  }

  @Test
  void theEndOfABootTurnsAPartialLineIntoALine() {
    ConsoleWindow window = new ConsoleWindow(2, T0, 1024);
    feed(window, "panic: out of memory", T0);
    assertThat(window.end(T0)).isTrue();
    assertThat(window.toBoot().getText()).isEqualTo("panic: out of memory\n");
    assertThat(window.toBoot().isEnded()).isTrue();
    assertThat(window.toBoot().getRestartCount()).isEqualTo(2);
  }

  @Test
  void dropsTheOldestLinesBeyondTheBoundAndCountsThem() {
    ConsoleWindow window = new ConsoleWindow(0, T0, 21);
    for (int i = 0; i < 10; i++) {
      feed(window, "line " + i + "\n", T0.plusSeconds(i));
    }
    ConsoleBoot boot = window.toBoot();
    assertThat(boot.getText()).isEqualTo("line 7\nline 8\nline 9\n");
    assertThat(boot.getFirstLine()).isEqualTo(7);
    assertThat(boot.getMarks()).extracting(m -> m.getLine()).first().isEqualTo(7L);
  }

  @Test
  void marksStayBoundedAndSpanTheBoot() {
    ConsoleWindow window = new ConsoleWindow(0, T0, 1 << 20);
    for (int i = 0; i < 200; i++) {
      feed(window, "tick " + i + "\n", T0.plusSeconds(i));
    }
    assertThat(window.toBoot().getMarks()).hasSizeLessThanOrEqualTo(ConsoleWindow.MAX_MARKS);
    assertThat(window.toBoot().getMarks().get(0).getLine()).isZero();
    assertThat(window.toBoot().getMarks()).last().extracting(m -> m.getLine()).isEqualTo(199L);
  }

  @Test
  void aLineLongerThanTheWindowIsCut() {
    ConsoleWindow window = new ConsoleWindow(0, T0, 16);
    feed(window, "x".repeat(40), T0);
    assertThat(window.toBoot().getText()).isEqualTo("x".repeat(40) + "\n");
  }

  @Test
  void resumesWhereAnEarlierAgentStopped() {
    ConsoleWindow first = new ConsoleWindow(1, T0, 1024);
    feed(first, "a\nb\npart", T0);
    ConsoleWindow resumed = ConsoleWindow.resume(first.toBoot(), 1024);
    assertThat(resumed.bytesRead()).isEqualTo(4);
    feed(resumed, "partial\nc\n", T0.plusSeconds(5)); // the log from bytesRead on: the partial line again
    assertThat(resumed.toBoot().getText()).isEqualTo("a\nb\npartial\nc\n");
    assertThat(resumed.toBoot().getRestartCount()).isEqualTo(1);
  }
}
