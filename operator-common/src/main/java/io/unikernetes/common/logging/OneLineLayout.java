package io.unikernetes.common.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One line per event, whatever it carries: {@code 2026-11-30T20:41:07.123Z INFO  [thread] logger - message}, and
 * for an exception {@code | Type: message <- Cause: message (at Class.method:line)}, its causes and the frame
 * that threw the innermost one. Control characters (a guest's console, an ANSI escape) are written as
 * {@code \\uXXXX} so a log line never carries a terminal sequence or breaks in two. The full stack trace is
 * in the json format.
 */
public final class OneLineLayout extends LayoutBase<ILoggingEvent> {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX")
      .withZone(ZoneOffset.UTC);

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(160)
        .append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()))).append(' ')
        .append(String.format("%-5s", event.getLevel())).append(" [");
    escaped(line, event.getThreadName()).append("] ").append(shortLogger(event.getLoggerName())).append(" - ");
    escaped(line, event.getFormattedMessage());
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.append(" | ");
      IThrowableProxy innermost = thrown;
      for (IThrowableProxy cause = thrown; cause != null; cause = cause.getCause()) {
        if (cause != thrown) {
          line.append(" <- ");
        }
        line.append(simpleName(cause.getClassName()));
        if (cause.getMessage() != null) {
          escaped(line.append(": "), cause.getMessage());
        }
        innermost = cause;
      }
      var frames = innermost.getStackTraceElementProxyArray();
      if (frames != null && frames.length > 0) {
        StackTraceElement top = frames[0].getStackTraceElement();
        line.append(" (at ").append(simpleName(top.getClassName())).append('.').append(top.getMethodName())
            .append(':').append(top.getLineNumber()).append(')');
      }
    }
    return line.append('\n').toString();
  }

  private static StringBuilder escaped(StringBuilder line, String text) {
    if (text == null) {
      return line.append("null");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        line.append(String.format("\\u%04x", (int) c));
      } else {
        line.append(c);
      }
    }
    return line;
  }

  /** io.unikernetes.agent.guests.GuestReconciler becomes i.u.a.g.GuestReconciler, as logback's %logger{36}. */
  private static String shortLogger(String name) {
    String[] parts = name.split("\\.");
    StringBuilder shortened = new StringBuilder(name.length());
    for (int i = 0; i < parts.length - 1; i++) {
      shortened.append(parts[i].isEmpty() ? "" : parts[i].substring(0, 1)).append('.');
    }
    return shortened.append(parts[parts.length - 1]).toString();
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }
}
