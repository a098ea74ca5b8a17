package io.unikernetes.agent.activity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ActivityRulesTest {

  @Test
  void theRoutedTableNotesTheDestinationsOfTrafficForwardedToTheBridge() {
    assertThat(ActivityRules.installRouted("ukbr0")).isEqualTo("""
        add table inet unikernetes_activity_ukbr0
        delete table inet unikernetes_activity_ukbr0
        table inet unikernetes_activity_ukbr0 {
          set seen {
            type ipv4_addr; flags dynamic,timeout; timeout 3600s; size 65536;
          }
          chain forward {
            type filter hook forward priority filter; policy accept;
            meta nfproto ipv4 oifname "ukbr0" update @seen { ip daddr }
          }
        }
        """);
  }

  @Test
  void theBridgedTableNotesTrafficBetweenGuestsOnTheBridge() {
    assertThat(ActivityRules.installBridged("ukbr0")).isEqualTo("""
        add table bridge unikernetes_activity_ukbr0
        delete table bridge unikernetes_activity_ukbr0
        table bridge unikernetes_activity_ukbr0 {
          set seen {
            type ipv4_addr; flags dynamic,timeout; timeout 3600s; size 65536;
          }
          chain forward {
            type filter hook forward priority filter; policy accept;
            ether type ip meta obrname "ukbr0" update @seen { ip daddr }
          }
        }
        """);
  }

  @Test
  void aTableNameKeepsOnlyWhatNftAcceptsInAName() {
    assertThat(ActivityRules.table("xenbr0.10")).isEqualTo("unikernetes_activity_xenbr0_10");
    assertThat(ActivityRules.remove(ActivityRules.Family.BRIDGE, "br-guests"))
        .isEqualTo("delete table bridge unikernetes_activity_br_guests\n");
  }
}
