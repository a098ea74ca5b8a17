package io.unikernetes.agent.images.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OciReferenceTest {

  private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

  @Test
  void splitsHostPortRepositoryAndDigestAndDropsTheTag() {
    OciReference ref = OciReference.parse("registry.example.org:5000/team/app:v1@" + DIGEST);
    assertThat(ref).isEqualTo(new OciReference("registry.example.org:5000", "team/app", DIGEST));
    assertThat(ref.digestHex()).hasSize(64);
    assertThat(ref).hasToString("registry.example.org:5000/team/app@" + DIGEST);
  }

  @Test
  void refusesAReferenceWithoutDigestOrRegistry() {
    assertThatThrownBy(() -> OciReference.parse("registry.example.org/team/app:latest"))
        .hasMessageContaining("not pinned");
    assertThatThrownBy(() -> OciReference.parse("app@" + DIGEST)).hasMessageContaining("no registry host");
  }
}
