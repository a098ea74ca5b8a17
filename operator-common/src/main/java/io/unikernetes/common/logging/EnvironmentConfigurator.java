package io.unikernetes.common.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * logback's configuration when a process starts (found through ServiceLoader): the settings from
 * {@code UNIKERNETES_LOG_LEVEL} and {@code UNIKERNETES_LOG_FORMAT}, so the components log cleanly from their
 * first line, and so do the tests and the local environment that run them in process. A component's main
 * applies its flags over it. Without this logback would log DEBUG in its own format.
 */
public final class EnvironmentConfigurator extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    LogSettings settings;
    try {
      settings = LogSettings.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      addWarn(e.getMessage() + "; logging at info in text");
      settings = LogSettings.DEFAULT;
    }
    Logging.configure(context, settings);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
