package io.unikernetes.common.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unikernetes.common.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogSettingsTest {

  @Test
  void defaultsToInfoInText() {
    assertThat(LogSettings.fromEnvironment(Map.of())).isEqualTo(LogSettings.DEFAULT);
  }

  @Test
  void flagsWinOverTheEnvironment() {
    var settings = Settings.of(new String[] {"--log-format=JSON"}, Map.of("UNIKERNETES_LOG_LEVEL", "debug",
        "UNIKERNETES_LOG_FORMAT", "text"), LogSettings.OPTIONS);
    assertThat(LogSettings.from(settings)).isEqualTo(new LogSettings(LogLevel.debug, LogFormat.json));
  }

  @Test
  void anUnknownValueNamesTheFlagAndTheChoices() {
    assertThatThrownBy(() -> LogSettings.fromEnvironment(Map.of("UNIKERNETES_LOG_FORMAT", "logfmt")))
        .hasMessage("--log-format: 'logfmt' is not one of text, json");
  }
}
