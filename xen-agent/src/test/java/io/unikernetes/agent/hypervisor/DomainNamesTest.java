package io.unikernetes.agent.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DomainNamesTest {

  @Test
  void namesAreReadableAndUnique() {
    var guest = new GuestIdentity("8252dba5-1111-2222-3333-444455556666", "team-a", "web.v2", "node-1");
    assertThat(DomainNames.of(guest)).isEqualTo("uk_team-a_web.v2_8252dba5");
  }

  @Test
  void theLongestNamesTheApiAcceptsFitInEveryFileNamedAfterTheDomain() {
    String namespace = "n".repeat(63);
    String name = "a".repeat(253);
    var guest = new GuestIdentity("8252dba5-1111-2222-3333-444455556666", namespace, name, "node-1");
    String domain = DomainNames.of(guest);
    assertThat(domain).hasSize(DomainNames.MAX_LENGTH).startsWith("uk_" + namespace + "_aaa").endsWith("_8252dba5");
    // xenconsoled's log, rotated by the agent, is the longest file named after a domain
    assertThat(("guest-" + domain + ".log.previous").getBytes()).hasSizeLessThanOrEqualTo(255);
  }
}
