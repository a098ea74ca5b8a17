package io.unikernetes.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.api.v1alpha1.status.ConsoleBoot;
import io.unikernetes.api.v1alpha1.status.ConsoleMark;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ConsoleSelectionTest {

  private static ConsoleBoot boot() {
    ConsoleBoot boot = new ConsoleBoot();
    boot.setFirstLine(10); // lines 0..9 were dropped
    boot.setText("l10\nl11\nl12\nl13\n");
    boot.setMarks(List.of(new ConsoleMark(8, "2026-11-30T21:00:00Z"), new ConsoleMark(12, "2026-11-30T21:00:05Z")));
    return boot;
  }

  private static List<String> texts(List<ConsoleSelection.Line> lines) {
    return lines.stream().map(ConsoleSelection.Line::text).toList();
  }

  @Test
  void numbersLinesFromTheFirstKeptOne() {
    assertThat(ConsoleSelection.lines(boot())).extracting(ConsoleSelection.Line::number)
        .containsExactly(10L, 11L, 12L, 13L);
  }

  @Test
  void tailTakesTheLastLines() {
    assertThat(texts(ConsoleSelection.select(boot(), OptionalInt.of(2), Optional.empty())))
        .containsExactly("l12", "l13");
    assertThat(texts(ConsoleSelection.select(boot(), OptionalInt.of(0), Optional.empty()))).isEmpty();
  }

  @Test
  void sinceStartsAtTheFirstBatchPublishedThen() {
    assertThat(texts(ConsoleSelection.select(boot(), OptionalInt.empty(),
        Optional.of(Instant.parse("2026-11-30T21:00:03Z"))))).containsExactly("l12", "l13");
    assertThat(texts(ConsoleSelection.select(boot(), OptionalInt.empty(),
        Optional.of(Instant.parse("2026-11-30T20:00:00Z"))))).hasSize(4);
    assertThat(texts(ConsoleSelection.select(boot(), OptionalInt.empty(),
        Optional.of(Instant.parse("2026-11-30T22:00:00Z"))))).isEmpty();
  }

  @Test
  void sinceThenTail() {
    assertThat(texts(ConsoleSelection.select(boot(), OptionalInt.of(1),
        Optional.of(Instant.parse("2026-11-30T20:00:00Z"))))).containsExactly("l13");
  }

  @Test
  void durationsAreWrittenAsKubectlWritesThem() {
    var converter = new LogsCommand.DurationConverter();
    assertThat(converter.convert("90s").toSeconds()).isEqualTo(90);
    assertThat(converter.convert("1h30m").toMinutes()).isEqualTo(90);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> converter.convert("5 minutes"))
        .hasMessageContaining("not a duration");
  }
}
