package io.unikernetes.e2e.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.agent.config.AgentConfig;
import io.unikernetes.common.config.ConfigOption;
import io.unikernetes.local.process.CommandResult;
import io.unikernetes.local.repository.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The systemd packaging of the agent for Xen hosts outside the cluster. */
class SystemdUnitTest {

  private final Path systemd = Repository.locate().root().resolve("deploy/systemd");

  @Test
  void theUnitPassesSystemdsOwnCheck() throws Exception {
    var verify = CommandResult.run(List.of("systemd-analyze", "verify",
        systemd.resolve("unikernetes-xen-agent.service").toString()), Map.of(), null);
    assertThat(verify.exitCode()).as(verify.output()).isZero();
  }

  @Test
  void theExampleEnvironmentFileUsesOnlyRealSettings() throws Exception {
    List<String> known = AgentConfig.OPTIONS.stream().map(ConfigOption::env).toList();
    List<String> keys = Files.readAllLines(systemd.resolve("xen-agent.env")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.substring(0, l.indexOf('=')))
        .toList();
    assertThat(keys).isNotEmpty().allSatisfy(k -> assertThat(known).contains(k));
    assertThat(AgentConfig.from(new String[0], Files.readAllLines(systemd.resolve("xen-agent.env")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .collect(java.util.stream.Collectors.toMap(l -> l.substring(0, l.indexOf('=')),
            l -> l.substring(l.indexOf('=') + 1)))).nodeName()).isEqualTo("xen-01");
  }
}
