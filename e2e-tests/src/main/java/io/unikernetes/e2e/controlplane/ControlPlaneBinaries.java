package io.unikernetes.e2e.controlplane;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the pinned control-plane binaries: $UNIKERNETES_CONTROL_PLANE_BIN if set, else whatever
 * hack/build-control-plane.sh prints (it builds them into the cache once, then just answers).
 */
public final class ControlPlaneBinaries {

  public static final String ENV = "UNIKERNETES_CONTROL_PLANE_BIN";

  private ControlPlaneBinaries() {
  }

  public static Path locate(Path repoRoot) throws IOException, InterruptedException {
    String fromEnv = System.getenv(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return check(Path.of(fromEnv));
    }
    Process build = new ProcessBuilder("bash", repoRoot.resolve("hack/build-control-plane.sh").toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (build.waitFor() != 0) {
      throw new IOException("hack/build-control-plane.sh failed (exit " + build.exitValue() + ")");
    }
    return check(Path.of(out.lines().reduce((a, b) -> b).orElse("")));
  }

  private static Path check(Path dir) throws IOException {
    for (String binary : new String[] {"etcd", "kube-apiserver", "kube-controller-manager", "kubectl"}) {
      if (!Files.isExecutable(dir.resolve(binary))) {
        throw new IOException(binary + " not found in " + dir + ": run hack/build-control-plane.sh or set " + ENV);
      }
    }
    return dir;
  }
}
