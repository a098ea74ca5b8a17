package io.unikernetes.common.logging;

import ch.qos.logback.classic.Level;

/** The levels a user may choose, as logback (and SLF4J) name them. */
public enum LogLevel {
  error(Level.ERROR), warn(Level.WARN), info(Level.INFO), debug(Level.DEBUG), trace(Level.TRACE);

  private final Level logback;

  LogLevel(Level logback) {
    this.logback = logback;
  }

  Level logback() {
    return logback;
  }
}
