package io.unikernetes.kubectl;

import io.unikernetes.api.v1alpha1.status.ConsoleBoot;
import io.unikernetes.api.v1alpha1.status.ConsoleMark;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The lines of one boot's console to print, as kubectl logs picks a container's: those published since a time,
 * then the last N of them. A published boot keeps its last lines only ({@link ConsoleBoot#getFirstLine()}), and
 * times are known per batch of lines ({@link ConsoleBoot#getMarks()}), so {@code since} is as fine as the agent's
 * writes (a second or more).
 */
final class ConsoleSelection {

  /** A line of a boot and its number in that boot's output, from 0. */
  record Line(long number, String text) {
  }

  private ConsoleSelection() {
  }

  static List<Line> lines(ConsoleBoot boot) {
    List<Line> lines = new ArrayList<>();
    String text = boot.getText() == null ? "" : boot.getText();
    long number = boot.getFirstLine();
    int from = 0;
    for (int newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', from)) {
      lines.add(new Line(number++, text.substring(from, newline)));
      from = newline + 1;
    }
    return lines;
  }

  static List<Line> select(ConsoleBoot boot, OptionalInt tail, Optional<Instant> since) {
    List<Line> lines = lines(boot);
    if (since.isPresent()) {
      long first = firstLineSince(boot, since.get());
      lines = lines.stream().filter(line -> line.number() >= first).toList();
    }
    if (tail.isPresent() && tail.getAsInt() >= 0 && lines.size() > tail.getAsInt()) {
      lines = lines.subList(lines.size() - tail.getAsInt(), lines.size());
    }
    return lines;
  }

  /** The first line published at or after {@code since}; past the last line when none was. */
  static long firstLineSince(ConsoleBoot boot, Instant since) {
    for (ConsoleMark mark : boot.getMarks()) {
      if (!Instant.parse(mark.getTime()).isBefore(since)) {
        return mark.getLine();
      }
    }
    return boot.getFirstLine() + lines(boot).size();
  }
}
