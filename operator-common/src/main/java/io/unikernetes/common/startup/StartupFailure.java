package io.unikernetes.common.startup;

import io.unikernetes.common.config.ConfigOption;

/**
 * A component cannot start for a reason its user can fix: the message is one line that names the setting to
 * change. Its main prints it and exits non-zero, without a stack trace.
 */
public final class StartupFailure extends RuntimeException {

  public StartupFailure(String message, Throwable cause) {
    super(message, cause);
  }

  /** The probe and metrics port is taken (a BindException). */
  public static StartupFailure portInUse(ConfigOption portOption, String host, int port, Throwable cause) {
    return new StartupFailure("cannot listen on " + host + ":" + port + " (" + cause.getMessage() + "): set --"
        + portOption.flag() + " (or $" + portOption.env() + ") to a free port, or 0 to pick one", cause);
  }
}
