package io.unikernetes.local.repository;

import io.unikernetes.local.controlplane.KubeCluster;
import java.io.IOException;

/** Installs the checked-in CRDs with kubectl and waits until the API server serves them. */
public final class Crds {

  private Crds() {
  }

  public static void install(KubeCluster cluster, Repository repository) throws IOException, InterruptedException {
    var applied = cluster.kubectl(null, "apply", "--server-side", "-f", repository.crdManifests().toString());
    if (applied.exitCode() != 0) {
      throw new IOException("installing the CRDs failed: " + applied.output());
    }
    var established = cluster.kubectl(null, "wait", "--for=condition=Established", "--timeout=60s",
        "crd/unikernels.unikernetes.io", "crd/xennodes.unikernetes.io", "crd/unikerneldeployments.unikernetes.io",
        "crd/unikernelconsoles.unikernetes.io");
    if (established.exitCode() != 0) {
      throw new IOException("the CRDs did not become established: " + established.output());
    }
  }
}
