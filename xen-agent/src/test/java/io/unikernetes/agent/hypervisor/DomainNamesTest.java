package io.unikernetes.agent.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DomainNamesTest {

  @Test
  void namesAreReadableUniqueAndReversible() {
    var guest = new GuestIdentity("8252dba5-1111-2222-3333-444455556666", "team-a", "web.v2", "node-1");
    String name = DomainNames.of(guest);
    assertThat(name).isEqualTo("uk_team-a_web.v2_8252dba5");
    assertThat(DomainNames.parse(name)).contains(new DomainNames.GuestRef("team-a", "web.v2"));
  }

  @Test
  void foreignDomainsAreNotOurs() {
    assertThat(DomainNames.parse("test")).isEmpty();
    assertThat(DomainNames.parse("uk_only-two")).isEmpty();
  }
}
