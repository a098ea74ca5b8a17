package io.unikernetes.agent.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.common.net.Ipv4Subnet;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CmdlineVariablesTest {

  private static final Map<String, String> VARS = new GuestInterface("ukbr0", "02:00:00:00:00:01", "10.240.3.7",
      Ipv4Subnet.parse("10.240.3.0/24"), Optional.of("10.96.0.10")).cmdlineVariables();

  @Test
  void theExamplesOfTheReadmeExpand() {
    assertThat(CmdlineVariables.expand("netdev.ip=$(GUEST_IP)/$(GUEST_PREFIX_LENGTH):$(GUEST_GATEWAY)", VARS))
        .isEqualTo("netdev.ip=10.240.3.7/24:10.240.3.1");
    assertThat(CmdlineVariables.expand("--ipv4=$(GUEST_IP)/$(GUEST_PREFIX_LENGTH) --ipv4-gateway=$(GUEST_GATEWAY)",
        VARS)).isEqualTo("--ipv4=10.240.3.7/24 --ipv4-gateway=10.240.3.1");
    assertThat(CmdlineVariables.expand("ip=$(GUEST_IP)::$(GUEST_GATEWAY):$(GUEST_NETMASK)::eth0:off:$(GUEST_DNS)",
        VARS)).isEqualTo("ip=10.240.3.7::10.240.3.1:255.255.255.0::eth0:off:10.96.0.10");
  }

  @Test
  void escapesAndUnknownOrMalformedReferencesAreKeptAsKubernetesKeepsThem() {
    assertThat(CmdlineVariables.expand("$$(GUEST_IP)", VARS)).isEqualTo("$(GUEST_IP)");
    assertThat(CmdlineVariables.expand("$$$(GUEST_IP)", VARS)).isEqualTo("$10.240.3.7");
    assertThat(CmdlineVariables.expand("$(NOT_SET) cost=$5 $", VARS)).isEqualTo("$(NOT_SET) cost=$5 $");
    assertThat(CmdlineVariables.expand("open $(GUEST_IP", VARS)).isEqualTo("open $(GUEST_IP");
    assertThat(CmdlineVariables.expand("$(x $$", VARS)).isEqualTo("$(x $");
    assertThat(CmdlineVariables.expand("plain", Map.of())).isEqualTo("plain");
  }

  @Test
  void withoutADnsServerGuestDnsStaysAsWritten() {
    Map<String, String> noDns = new GuestInterface("ukbr0", "02:00:00:00:00:01", "10.240.3.7",
        Ipv4Subnet.parse("10.240.3.0/24"), Optional.empty()).cmdlineVariables();
    assertThat(CmdlineVariables.expand("dns=$(GUEST_DNS)", noDns)).isEqualTo("dns=$(GUEST_DNS)");
  }
}
