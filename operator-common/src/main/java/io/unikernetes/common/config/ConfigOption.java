package io.unikernetes.common.config;

/**
 * One configuration option: read from the environment variable {@code env} or the flag
 * {@code --<flag>=value}; {@code defaultValue} null means required.
 */
public record ConfigOption(String env, String flag, String defaultValue, String description) {

  public static ConfigOption optional(String env, String defaultValue, String description) {
    return new ConfigOption(env, flagOf(env), defaultValue, description);
  }

  public static ConfigOption required(String env, String description) {
    return new ConfigOption(env, flagOf(env), null, description);
  }

  public boolean isRequired() {
    return defaultValue == null;
  }

  /** UNIKERNETES_NODE_NAME becomes node-name. */
  private static String flagOf(String env) {
    return env.replaceFirst("^UNIKERNETES_", "").toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
