package io.unikernetes.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

  @Test
  void flagsWinOverEnvironmentWhichWinsOverDefaults() {
    AgentConfig config = AgentConfig.from(new String[] {"--node-name=xen-01", "--node-labels=zone=a,tier=gold"},
        Map.of("UNIKERNETES_NODE_NAME", "ignored", "UNIKERNETES_LIBVIRT_URI", "qemu:///system"));
    assertThat(config.nodeName()).isEqualTo("xen-01");
    assertThat(config.libvirtUri()).isEqualTo("qemu:///system");
    assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/unikernetes"));
    assertThat(config.nodeLabels()).containsExactly(Map.entry("zone", "a"), Map.entry("tier", "gold"));
  }

  @Test
  void badInputSaysWhatToFix() {
    assertThatThrownBy(() -> AgentConfig.from(new String[0], Map.of()))
        .hasMessageContaining("missing required setting: --node-name or $UNIKERNETES_NODE_NAME");
    assertThatThrownBy(() -> AgentConfig.from(new String[] {"--node-name=Xen_01"}, Map.of()))
        .hasMessageContaining("not a valid XenNode name");
    assertThatThrownBy(() -> AgentConfig.from(new String[] {"--node-name=a", "--max-guests=many"}, Map.of()))
        .hasMessageContaining("--max-guests must be an integer");
    assertThatThrownBy(() -> AgentConfig.from(new String[] {"--nodename=a"}, Map.of()))
        .hasMessageContaining("unknown flag --nodename");
  }
}
