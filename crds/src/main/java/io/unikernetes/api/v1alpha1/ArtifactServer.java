package io.unikernetes.api.v1alpha1;

/**
 * Where a cluster's local artifact server says it is: a ConfigMap that the local environment (hack/local-up.sh)
 * writes and {@code kubectl unikernetes run} reads, to put a kernel file where the agents can fetch it. Only
 * meaningful on the machine that runs the local environment: {@link #DIRECTORY_KEY} is a path there.
 */
public final class ArtifactServer {

  public static final String CONFIG_MAP_NAMESPACE = "kube-public";
  public static final String CONFIG_MAP_NAME = "unikernetes-artifacts";
  /** The server's base URL, ending in "/": a file of the directory is served at base + its name. */
  public static final String URL_KEY = "url";
  /** The directory the server serves, on the machine of the local environment. */
  public static final String DIRECTORY_KEY = "directory";

  private ArtifactServer() {
  }
}
