package io.unikernetes.common.logging;

import io.unikernetes.common.config.ConfigOption;
import io.unikernetes.common.config.Settings;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The logging options every component takes, as flags or environment variables. */
public record LogSettings(LogLevel level, LogFormat format) {

  public static final ConfigOption LOG_LEVEL = ConfigOption.optional("UNIKERNETES_LOG_LEVEL", "info",
      "Lowest level logged: error, warn, info, debug or trace");
  public static final ConfigOption LOG_FORMAT = ConfigOption.optional("UNIKERNETES_LOG_FORMAT", "text",
      "text (one line per event) or json (one JSON object per line, for log collectors)");

  public static final List<ConfigOption> OPTIONS = List.of(LOG_LEVEL, LOG_FORMAT);

  public static final LogSettings DEFAULT = new LogSettings(LogLevel.info, LogFormat.text);

  /**
   * @throws IllegalArgumentException naming the flag when a value is not one of its choices
   */
  public static LogSettings from(Settings settings) {
    return new LogSettings(choice(LogLevel.class, LOG_LEVEL, settings.string(LOG_LEVEL)),
        choice(LogFormat.class, LOG_FORMAT, settings.string(LOG_FORMAT)));
  }

  /** From the environment alone: flags are not known before a component's main runs. */
  public static LogSettings fromEnvironment(Map<String, String> environment) {
    return from(Settings.of(new String[0], environment, OPTIONS));
  }

  private static <E extends Enum<E>> E choice(Class<E> type, ConfigOption option, String value) {
    try {
      return Enum.valueOf(type, value.trim().toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + option.flag() + ": '" + value + "' is not one of "
          + String.join(", ", Arrays.stream(type.getEnumConstants()).map(Enum::name).toList()));
    }
  }
}
