package io.unikernetes.common.logging;

/** How the components write their log: {@code text} for people, {@code json} for log collectors. */
public enum LogFormat {
  /** One line per event: time, level, thread, logger, message, and an exception's causes on the same line. */
  text,
  /**
   * One JSON object per line, logback's JsonEncoder: timestamp (epoch milliseconds), level, threadName, loggerName,
   * formattedMessage, and throwable (class, message, stack frames, causes) when there is one.
   */
  json
}
