package io.unikernetes.common.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up logback for a component: one appender on standard error (as kube components log), the chosen level
 * and format, and libraries' noise at a level that keeps what matters. No colours: the text is meant for
 * journald and {@code kubectl logs} as much as for a terminal.
 */
public final class Logging {

  /**
   * Loggers held above the component's level, and why. fabric8 warns once per kind that v1alpha1 is an
   * unstable version: true, known, and the whole API is v1alpha1 for now. The ORAS SDK's HttpClient logs every
   * failed request at ERROR with a stack trace before throwing; the agent reports each failed pull itself, on
   * the guest's status, in one line.
   */
  private static final Map<String, Level> QUIETER = Map.of(
      "io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils", Level.ERROR,
      "land.oras.auth.HttpClient", Level.OFF);

  private Logging() {
  }

  /** Replaces whatever logback set up before (its default, or an earlier call). */
  public static void configure(LogSettings settings) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return; // another SLF4J backend is on the class path (a library's test); leave it alone
    }
    configure(context, settings);
  }

  static void configure(LoggerContext context, LogSettings settings) {
    context.reset();
    Encoder<ILoggingEvent> encoder = switch (settings.format()) {
      case text -> {
        OneLineLayout layout = new OneLineLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> wrapping = new LayoutWrappingEncoder<>();
        wrapping.setLayout(layout);
        yield wrapping;
      }
      case json -> {
        JsonEncoder json = new JsonEncoder();
        json.setWithFormattedMessage(true); // the message with its arguments in, not the template
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithContext(false);
        yield json;
      }
    };
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("stderr");
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(settings.level().logback());
    root.addAppender(appender);
    QUIETER.forEach((name, level) -> {
      if (level.isGreaterOrEqual(settings.level().logback())) {
        context.getLogger(name).setLevel(level);
      }
    });
  }
}
