package io.unikernetes.e2e.controlplane;

import io.unikernetes.local.process.BuildScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real Helm CLI: $UNIKERNETES_HELM, else what hack/build-helm.sh builds (once) and prints. */
public final class HelmBinary {

  public static final String ENV = "UNIKERNETES_HELM";

  private HelmBinary() {
  }

  public static Path locate(Path repoRoot) throws IOException, InterruptedException {
    String fromEnv = System.getenv(ENV);
    Path helm;
    if (fromEnv != null && !fromEnv.isBlank()) {
      helm = Path.of(fromEnv);
    } else {
      helm = BuildScript.run(repoRoot.resolve("hack/build-helm.sh"));
    }
    if (!Files.isExecutable(helm)) {
      throw new IOException("helm not found at " + helm + ": run hack/build-helm.sh or set " + ENV);
    }
    return helm;
  }
}
