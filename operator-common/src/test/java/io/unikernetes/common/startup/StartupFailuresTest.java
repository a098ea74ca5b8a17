package io.unikernetes.common.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.unikernetes.common.config.ConfigOption;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupFailuresTest {

  @TempDir
  Path home;

  @Test
  void noKubeconfigAndNoServiceAccountFails() {
    assertThatThrownBy(() -> StartupFailures.requireKubeconfig(Map.of(), home, home.resolve("token")))
        .isInstanceOf(StartupFailure.class).hasMessageStartingWith("no kubeconfig: set $KUBECONFIG");
  }

  @Test
  void everyFileKubeconfigListsMustExist() throws IOException {
    Path present = Files.writeString(home.resolve("a"), "");
    assertThatThrownBy(() -> StartupFailures.requireKubeconfig(
        Map.of("KUBECONFIG", present + ":" + home.resolve("b")), home, home.resolve("token")))
        .hasMessageStartingWith("KUBECONFIG names " + home.resolve("b") + ", which does not exist");
    assertThatCode(() -> StartupFailures.requireKubeconfig(Map.of("KUBECONFIG", present.toString()), home,
        home.resolve("token"))).doesNotThrowAnyException();
  }

  @Test
  void aPodWithAServiceAccountNeedsNoKubeconfig() throws IOException {
    Path token = Files.writeString(home.resolve("token"), "t");
    assertThatCode(() -> StartupFailures.requireKubeconfig(Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1"), home,
        token)).doesNotThrowAnyException();
  }

  @Test
  void aTakenPortNamesTheFlagAndTheVariable() {
    var option = ConfigOption.optional("UNIKERNETES_HTTP_PORT", "8080", "port");
    var failure = StartupFailure.portInUse(option, "0.0.0.0", 8080, new BindException("Address already in use"));
    assertThat(StartupFailures.describe(new RuntimeException("wrapped", failure), "https://api:6443"))
        .isEqualTo("cannot listen on 0.0.0.0:8080 (Address already in use): set --http-port (or "
            + "$UNIKERNETES_HTTP_PORT) to a free port, or 0 to pick one");
  }

  @Test
  void anUnreachableApiServerNamesItsAddress() {
    var failure = new KubernetesClientException("Operation: [get] failed", new ConnectException("Connection refused"));
    assertThat(StartupFailures.describe(failure, "https://127.0.0.1:6443/"))
        .isEqualTo("cannot reach the Kubernetes API server at https://127.0.0.1:6443/ (ConnectException: "
            + "Connection refused): check the server in $KUBECONFIG and that it is up");
  }

  @Test
  void refusedCredentialsSayWhatTheServerSaid() {
    var failure = new KubernetesClientException(new StatusBuilder().withCode(403)
        .withMessage("xennodes is forbidden:\nUser \"bob\" cannot create").build());
    assertThat(StartupFailures.describe(failure, "https://api:6443"))
        .isEqualTo("the API server at https://api:6443 refused the request (HTTP 403: xennodes is forbidden: User "
            + "\"bob\" cannot create): check the credentials in $KUBECONFIG and the RBAC rules");
  }

  @Test
  void anythingElseIsItsCausesOnOneLine() {
    assertThat(StartupFailures.describe(new IllegalStateException("boom\nagain", new IOException("disk")), "x"))
        .isEqualTo("IllegalStateException: boom again <- IOException: disk");
  }
}
