package io.unikernetes.local.registry;

import io.unikernetes.local.process.BuildScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the pinned OCI tools (the distribution registry, the oras CLI and cosign): $UNIKERNETES_OCI_TOOLS if set,
 * else whatever hack/build-oci-tools.sh prints (it builds them into the cache once, then just answers).
 */
public final class OciTools {

  public static final String ENV = "UNIKERNETES_OCI_TOOLS";

  private OciTools() {
  }

  /** The directory holding {@code registry}, {@code oras} and {@code cosign}. */
  public static Path locate(Path repoRoot) throws IOException, InterruptedException {
    String fromEnv = System.getenv(ENV);
    Path dir = fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv)
        : BuildScript.run(repoRoot.resolve("hack/build-oci-tools.sh"));
    for (String binary : new String[] {"registry", "oras", "cosign"}) {
      if (!Files.isExecutable(dir.resolve(binary))) {
        throw new IOException(binary + " not found in " + dir + ": run hack/build-oci-tools.sh or set " + ENV);
      }
    }
    return dir;
  }
}
