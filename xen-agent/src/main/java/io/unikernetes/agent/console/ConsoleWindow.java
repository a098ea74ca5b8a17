package io.unikernetes.agent.console;

import io.unikernetes.api.v1alpha1.status.ConsoleBoot;
import io.unikernetes.api.v1alpha1.status.ConsoleMark;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The kept console lines of one boot: complete lines only (a partial last line waits for its newline, or for the
 * boot's end), the oldest dropped once the lines exceed {@code retainedBytes}, and marks saying when lines were
 * read. Pure: the caller reads the bytes and publishes {@link #toBoot()}.
 */
public final class ConsoleWindow {

  /** Marks kept per boot; when more are made, every other old one goes, so they span the whole boot. */
  static final int MAX_MARKS = 32;

  private final int restartCount;
  private final String startTime;
  private final int retainedBytes;
  private final Deque<String> lines = new ArrayDeque<>();
  private final List<ConsoleMark> marks = new ArrayList<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private long firstLine;
  private long keptChars;
  private long bytesRead;
  private boolean ended;

  public ConsoleWindow(int restartCount, Instant startTime, int retainedBytes) {
    this(restartCount, startTime == null ? null : startTime.toString(), retainedBytes);
  }

  private ConsoleWindow(int restartCount, String startTime, int retainedBytes) {
    this.restartCount = restartCount;
    this.startTime = startTime;
    this.retainedBytes = retainedBytes;
  }

  /** A boot published earlier (an agent restart): continues where its {@code bytesRead} left off. */
  public static ConsoleWindow resume(ConsoleBoot boot, int retainedBytes) {
    ConsoleWindow window = new ConsoleWindow(boot.getRestartCount(), boot.getStartTime(), retainedBytes);
    window.firstLine = boot.getFirstLine();
    window.bytesRead = boot.getBytesRead();
    window.ended = boot.isEnded();
    String text = boot.getText() == null ? "" : boot.getText();
    int from = 0;
    for (int newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', from)) {
      String line = text.substring(from, newline);
      window.lines.add(line);
      window.keptChars += line.length() + 1;
      from = newline + 1;
    }
    window.marks.addAll(boot.getMarks() == null ? List.of() : boot.getMarks());
    return window;
  }

  public int restartCount() {
    return restartCount;
  }

  public long bytesRead() {
    return bytesRead;
  }

  public boolean ended() {
    return ended;
  }

  /**
   * Takes bytes read from the console log after {@link #bytesRead()}.
   *
   * @return whether a complete line came, so the window changed
   */
  public boolean append(byte[] bytes, int length, Instant now) {
    bytesRead += length;
    long before = firstLine + lines.size();
    int start = 0;
    for (int i = 0; i < length; i++) {
      if (bytes[i] == '\n') {
        partial.write(bytes, start, i - start);
        addLine(now);
        start = i + 1;
      }
    }
    partial.write(bytes, start, length - start);
    if (partial.size() >= retainedBytes) {
      addLine(now); // a line longer than the whole window is cut, so memory stays bounded
    }
    return firstLine + lines.size() != before;
  }

  /** The boot is over: a partial last line counts as a line. @return whether the window changed */
  public boolean end(Instant now) {
    if (ended) {
      return false;
    }
    ended = true;
    if (partial.size() > 0) {
      addLine(now);
    }
    return true;
  }

  private void addLine(Instant now) {
    String line = partial.toString(StandardCharsets.UTF_8);
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1); // serial consoles end lines with CR LF
    }
    partial.reset();
    String time = now.toString();
    if (marks.isEmpty() || !marks.get(marks.size() - 1).getTime().equals(time)) {
      marks.add(new ConsoleMark(firstLine + lines.size(), time));
    }
    lines.addLast(line);
    keptChars += line.length() + 1;
    while (keptChars > retainedBytes && lines.size() > 1) {
      keptChars -= lines.removeFirst().length() + 1;
      firstLine++;
    }
    thinMarks();
  }

  /**
   * Marks before the kept lines go, all but the last (it dates the first kept line); past {@link #MAX_MARKS},
   * every other one goes (the newest stays), so the marks keep spanning the boot.
   */
  private void thinMarks() {
    while (marks.size() > 1 && marks.get(1).getLine() <= firstLine) {
      marks.remove(0);
    }
    if (marks.size() > MAX_MARKS) {
      List<ConsoleMark> kept = new ArrayList<>();
      for (int i = 0; i < marks.size(); i++) {
        if (i % 2 == 0 || i == marks.size() - 1) {
          kept.add(marks.get(i));
        }
      }
      marks.clear();
      marks.addAll(kept);
    }
  }

  public ConsoleBoot toBoot() {
    ConsoleBoot boot = new ConsoleBoot();
    boot.setRestartCount(restartCount);
    boot.setStartTime(startTime);
    boot.setFirstLine(firstLine);
    StringBuilder text = new StringBuilder((int) Math.min(keptChars, Integer.MAX_VALUE));
    lines.forEach(line -> text.append(line).append('\n'));
    boot.setText(text.toString());
    boot.setBytesRead(bytesRead - partial.size()); // a partial line is read again after a restart
    boot.setEnded(ended);
    boot.setMarks(new ArrayList<>(marks));
    return boot;
  }
}
