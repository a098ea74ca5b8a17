package io.unikernetes.e2e.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.unikernetes.local.process.CommandResult;
import io.unikernetes.local.repository.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kubectl plugin as Krew installs it: hack/krew-release.sh's archive and the manifest that names it. */
class KrewManifestTest {

  @Test
  void theReleaseManifestPinsTheArchiveAndItsExecutable() throws Exception {
    Repository repository = Repository.locate();
    repository.kubectlPlugin(); // built
    CommandResult release = CommandResult.run(List.of("bash",
        repository.root().resolve("hack/krew-release.sh").toString(), "v0.1.0",
        "https://releases.example.org/kubectl-unikernetes.tar.gz"), Map.of(), null);
    assertThat(release.exitCode()).as(release.output()).isZero();
    List<Path> outputs = release.stdout().lines().map(Path::of).toList();
    Path archive = outputs.get(0);
    @SuppressWarnings("unchecked")
    Map<String, Object> manifest = new KubernetesSerialization().unmarshal(Files.readString(outputs.get(1)), Map.class);
    assertThat(manifest).containsEntry("apiVersion", "krew.googlecontainertools.github.com/v1alpha2")
        .containsEntry("kind", "Plugin");
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) manifest.get("spec");
    assertThat(spec).containsEntry("version", "v0.1.0");
    @SuppressWarnings("unchecked")
    Map<String, Object> platform = ((List<Map<String, Object>>) spec.get("platforms")).get(0);
    assertThat(platform).containsEntry("uri", "https://releases.example.org/kubectl-unikernetes.tar.gz")
        .containsEntry("bin", "kubectl-unikernetes")
        .containsEntry("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(Files.readAllBytes(archive))));
    CommandResult listed = CommandResult.run(List.of("tar", "-tzf", archive.toString()), Map.of(), null);
    assertThat(listed.stdout().lines().toList()).containsExactly("kubectl-unikernetes");
  }
}
