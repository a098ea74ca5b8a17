package io.unikernetes.e2e.controlplane;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
      Process build = new ProcessBuilder("bash", repoRoot.resolve("hack/build-helm.sh").toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (build.waitFor() != 0) {
        throw new IOException("hack/build-helm.sh failed (exit " + build.exitValue() + ")");
      }
      helm = Path.of(out.lines().reduce((a, b) -> b).orElse(""));
    }
    if (!Files.isExecutable(helm)) {
      throw new IOException("helm not found at " + helm + ": run hack/build-helm.sh or set " + ENV);
    }
    return helm;
  }
}
