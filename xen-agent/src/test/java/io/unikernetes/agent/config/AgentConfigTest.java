package io.unikernetes.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unikernetes.agent.domain.CpuSet;
import io.unikernetes.api.v1alpha1.spec.CpuAmount;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
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
    assertThat(config.maxGuests()).isEmpty();
    assertThat(config.guestOverheadMemory()).isEmpty();
    assertThat(config.reservedCpu()).isEqualTo(new CpuAmount(100));
    assertThat(config.libvirtParallelism()).isEqualTo(8);
    AgentConfig fixed = AgentConfig.from(new String[] {"--node-name=a", "--max-guests=300",
        "--guest-overhead-memory=6Mi", "--guest-overhead-cpu=5m"}, Map.of());
    assertThat(fixed.maxGuests()).hasValue(300);
    assertThat(fixed.guestOverheadMemory()).contains(MemorySize.parse("6Mi"));
    assertThat(fixed.guestOverheadCpu()).isEqualTo(new CpuAmount(5));
  }

  @Test
  void reservedCpusAreReadFromTheEnvironmentAndNoneByDefault() {
    assertThat(AgentConfig.from(new String[] {"--node-name=a"}, Map.of("UNIKERNETES_RESERVED_CPUS", "0, 2-3"))
        .reservedCpus()).contains(CpuSet.parse("0,2-3"));
    assertThat(AgentConfig.from(new String[] {"--node-name=a"}, Map.of()).reservedCpus()).isEmpty();
  }

  @Test
  void badInputSaysWhatToFix() {
    assertThatThrownBy(() -> AgentConfig.from(new String[0], Map.of()))
        .hasMessageContaining("missing required setting: --node-name or $UNIKERNETES_NODE_NAME");
    assertThatThrownBy(() -> AgentConfig.from(new String[] {"--node-name=Xen_01"}, Map.of()))
        .hasMessageContaining("not a valid XenNode name");
    assertThatThrownBy(() -> AgentConfig.from(new String[] {"--node-name=a", "--max-guests=many"}, Map.of()))
        .hasMessageContaining("--max-guests must be an integer");
    assertThatThrownBy(() -> AgentConfig.from(new String[] {"--node-name=a", "--max-guests=40000"}, Map.of()))
        .hasMessageContaining("--max-guests is 40000; at most 32000 guests fit one host");
    assertThatThrownBy(() -> AgentConfig.from(new String[] {"--node-name=a", "--reserved-cpu=half"}, Map.of()))
        .hasMessageContaining("--reserved-cpu 'half' is not a CPU quantity: give e.g. 100m or 0.5");
    assertThatThrownBy(() -> AgentConfig.from(new String[] {"--node-name=a", "--reserved-cpus=0-"}, Map.of()))
        .hasMessageContaining("--reserved-cpus '0-' is not a list of CPU numbers and ranges: give e.g. 0 or 0-1,4");
    assertThatThrownBy(() -> AgentConfig.from(new String[] {"--node-name=a", "--guest-overhead-memory=8MB"}, Map.of()))
        .hasMessageContaining("--guest-overhead-memory '8MB' is not a memory quantity");
    assertThatThrownBy(() -> AgentConfig.from(new String[] {"--node-name=a", "--libvirt-parallelism=0"}, Map.of()))
        .hasMessageContaining("--libvirt-parallelism must be at least 1, got 0");
    assertThatThrownBy(() -> AgentConfig.from(new String[] {"--nodename=a"}, Map.of()))
        .hasMessageContaining("unknown flag --nodename");
  }
}
