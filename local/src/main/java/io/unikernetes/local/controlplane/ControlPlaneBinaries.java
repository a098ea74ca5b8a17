package io.unikernetes.local.controlplane;

import io.unikernetes.local.process.BuildScript;
import java.io.IOException;
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
    return check(BuildScript.run(repoRoot.resolve("hack/build-control-plane.sh")));
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
