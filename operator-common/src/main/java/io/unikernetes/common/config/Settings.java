package io.unikernetes.common.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Values of {@link ConfigOption}s from command-line flags, then the environment, then defaults. */
public final class Settings {

  private final Map<String, String> flags;
  private final Map<String, String> environment;

  private Settings(Map<String, String> flags, Map<String, String> environment) {
    this.flags = flags;
    this.environment = environment;
  }

  public static Settings of(String[] args, Map<String, String> environment, List<ConfigOption> known) {
    Map<String, String> flags = new HashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "': use --name=value\n" + usage(known));
      }
      String name = arg.substring(2, arg.indexOf('='));
      if (known.stream().noneMatch(o -> o.flag().equals(name))) {
        throw new IllegalArgumentException("unknown flag --" + name + "\n" + usage(known));
      }
      flags.put(name, arg.substring(arg.indexOf('=') + 1));
    }
    return new Settings(flags, environment);
  }

  public String string(ConfigOption option) {
    String value = flags.getOrDefault(option.flag(), environment.get(option.env()));
    if (value == null || value.isBlank()) {
      value = option.defaultValue();
    }
    if (value == null) {
      throw new IllegalArgumentException("missing required setting: --" + option.flag() + " or $" + option.env()
          + " (" + option.description() + ")");
    }
    return value;
  }

  public int integer(ConfigOption option) {
    String value = string(option);
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + option.flag() + " must be an integer, got '" + value + "'", e);
    }
  }

  public Duration seconds(ConfigOption option) {
    return Duration.ofSeconds(integer(option));
  }

  public boolean bool(ConfigOption option) {
    return Boolean.parseBoolean(string(option).trim());
  }

  public static String usage(List<ConfigOption> options) {
    StringBuilder text = new StringBuilder("Options (flag, or environment variable):\n");
    for (ConfigOption o : options) {
      text.append(String.format("  --%-28s $%-34s %s%s%n", o.flag() + "=", o.env(), o.description(),
          o.isRequired() ? " (required)" : " (default: " + o.defaultValue() + ")"));
    }
    return text.toString();
  }
}
