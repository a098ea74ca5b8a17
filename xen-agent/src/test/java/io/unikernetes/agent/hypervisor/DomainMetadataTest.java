package io.unikernetes.agent.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DomainMetadataTest {

  @Test
  void readsTheOwnerFromADomainThisProjectRenders() throws Exception {
    var recorded = DomainMetadata.read(Files.readString(Path.of("src/test/resources/golden/xen-pvh-network.xml")))
        .orElseThrow();
    assertThat(recorded.owner()).isEqualTo(new GuestIdentity("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "shop", "cart",
        "xen-01"));
    assertThat(recorded.ip()).contains("10.240.3.7");
  }

  @Test
  void foreignOrUnreadableDomainsAreNotOurs() {
    assertThat(DomainMetadata.read("<domain type='xen'><name>someone-elses</name></domain>")).isEmpty();
    assertThat(DomainMetadata.read("<domain><metadata><guest xmlns='urn:other' uid='x'/></metadata></domain>"))
        .isEmpty();
    assertThat(DomainMetadata.read("<domain><unclosed>")).isEmpty();
    assertThat(DomainMetadata.read("<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><domain>&x;</domain>"))
        .isEmpty();
  }
}
