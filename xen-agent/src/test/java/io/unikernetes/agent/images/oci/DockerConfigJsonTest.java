package io.unikernetes.agent.images.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DockerConfigJsonTest {

  private static byte[] json(String text) {
    return text.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsUsernameAndPasswordOrTheAuthPairMatchedOnHostAndPort() {
    String auth = Base64.getEncoder().encodeToString("bob:s3:cret".getBytes(StandardCharsets.UTF_8));
    byte[] config = json("{'auths':{'https://registry.example.org:5000/v1/':{'auth':'" + auth + "'},"
        + "'other.example.org':{'username':'carol','password':'pw'}}}");
    assertThat(DockerConfigJson.find(config, "registry.example.org:5000", "Secret ns/a"))
        .contains(new RegistryCredential("bob", "s3:cret", "Secret ns/a"));
    assertThat(DockerConfigJson.find(config, "other.example.org", "Secret ns/a").orElseThrow().username())
        .isEqualTo("carol");
    assertThat(DockerConfigJson.find(config, "registry.example.org", "Secret ns/a")).isEmpty();
  }

  @Test
  void neverPrintsThePassword() {
    assertThat(new RegistryCredential("bob", "hunter2", "Secret ns/a").toString()).doesNotContain("hunter2");
  }

  @Test
  void namesTheSecretWhenItsContentIsWrong() {
    assertThatThrownBy(() -> DockerConfigJson.find(json("not json"), "r", "Secret ns/bad"))
        .hasMessageContaining("Secret ns/bad").hasMessageContaining("not JSON");
    assertThatThrownBy(() -> DockerConfigJson.find(json("{'auths':{'r':{'auth':'bm9jb2xvbg=='}}}"), "r",
        "Secret ns/bad")).hasMessageContaining("not user:password");
  }
}
