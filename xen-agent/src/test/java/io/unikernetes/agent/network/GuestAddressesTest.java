package io.unikernetes.agent.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.agent.hypervisor.DomainState;
import io.unikernetes.agent.hypervisor.DomainStatus;
import io.unikernetes.agent.hypervisor.GuestIdentity;
import io.unikernetes.agent.hypervisor.StopReason;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.status.UnikernelStatus;
import io.unikernetes.common.net.Ipv4Subnet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GuestAddressesTest {

  private static final Ipv4Subnet NODE = Ipv4Subnet.parse("10.240.3.0/24");

  @Test
  void theLowestFreeAddressAfterTheGateway() {
    assertThat(GuestAddresses.free(NODE, Set.of())).hasValue("10.240.3.2");
    assertThat(GuestAddresses.free(NODE, Set.of("10.240.3.2", "10.240.3.4"))).hasValue("10.240.3.3");
  }

  @Test
  void roundRobinGoesOnAfterTheLastAddressGivenAndWrapsAround() {
    assertThat(GuestAddresses.free(NODE, Set.of(), Optional.of("10.240.3.2"))).hasValue("10.240.3.3");
    // .3 was given and its guest deleted at once: the next guest still gets .4, not .3 again.
    assertThat(GuestAddresses.free(NODE, Set.of("10.240.3.2"), Optional.of("10.240.3.3"))).hasValue("10.240.3.4");
    assertThat(GuestAddresses.free(NODE, Set.of("10.240.3.2"), Optional.of("10.240.3.254"))).hasValue("10.240.3.3");
    assertThat(GuestAddresses.free(NODE, Set.of(), Optional.of("10.240.9.9"))).hasValue("10.240.3.2");
    assertThat(GuestAddresses.highest(NODE, Set.of("10.240.3.9", "10.240.3.10", "10.240.9.200")))
        .hasValue("10.240.3.10");
  }

  @Test
  void aFullSubnetGivesNothingAndNeverTheNetworkGatewayOrBroadcast() {
    Set<String> used = new HashSet<>();
    for (int i = 0; i < GuestAddresses.capacity(NODE); i++) {
      used.add(GuestAddresses.free(NODE, used).orElseThrow());
    }
    assertThat(used).hasSize(253).doesNotContain("10.240.3.0", "10.240.3.1", "10.240.3.255");
    assertThat(GuestAddresses.free(NODE, used)).isEmpty();
    assertThat(GuestAddresses.free(Ipv4Subnet.parse("10.240.3.0/29"), Set.of())).hasValue("10.240.3.2");
  }

  @Test
  void macsAreLocallyAdministeredUnicastAndStablePerUid() {
    String mac = GuestMacs.of("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    assertThat(mac).matches("02(:[0-9a-f]{2}){5}").isEqualTo(GuestMacs.of("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"));
    assertThat(GuestMacs.of("another-uid")).isNotEqualTo(mac);
  }

  private static Unikernel guest(String uid, String ip) {
    Unikernel guest = new Unikernel();
    guest.getMetadata().setUid(uid);
    UnikernelStatus status = new UnikernelStatus();
    status.setIp(ip);
    guest.setStatus(status);
    return guest;
  }

  private static DomainStatus domain(String uid, String ip) {
    return new DomainStatus("uk_ns_" + uid, "uuid-" + uid, 1, DomainState.RUNNING, StopReason.UNKNOWN,
        new GuestIdentity(uid, "ns", "g-" + uid, "xen-01"), Optional.ofNullable(ip));
  }

  @Test
  void anAddressIsHeldByItsGuestItsDomainOrAFreshChoiceButNeverByTheGuestAskingAgain() {
    Set<String> held = GuestAddresses.held("me",
        List.of(guest("a", "10.240.3.2"), guest("me", "10.240.3.3"), guest("b", null)),
        // the domain of a deleted guest keeps its address until the domain is gone
        List.of(domain("deleted", "10.240.3.4"), domain("me", "10.240.3.3"), domain("c", null)),
        Map.of("d", "10.240.3.5", "me", "10.240.3.6"));
    assertThat(held).containsExactlyInAnyOrder("10.240.3.2", "10.240.3.4", "10.240.3.5");
    assertThat(GuestAddresses.free(NODE, held)).hasValue("10.240.3.3");
  }
}
