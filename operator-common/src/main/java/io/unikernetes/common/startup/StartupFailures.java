package io.unikernetes.common.startup;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;

/** What a component prints, on one line, when it cannot start; and the checks made before it tries. */
public final class StartupFailures {

  private StartupFailures() {
  }

  /**
   * Fails unless the process has a way to reach the API server: a Pod's service account, or a kubeconfig
   * ($KUBECONFIG, every file it lists, or ~/.kube/config). fabric8 would otherwise fall back to
   * https://kubernetes.default.svc and fail much later, with a host name the user never gave.
   *
   * @throws StartupFailure naming $KUBECONFIG
   */
  public static void requireKubeconfig(Map<String, String> environment, Path home, Path serviceAccountToken) {
    String kubeconfig = environment.get("KUBECONFIG");
    if (kubeconfig != null && !kubeconfig.isBlank()) {
      for (String file : kubeconfig.split(java.io.File.pathSeparator)) {
        if (!file.isBlank() && !Files.isReadable(Path.of(file))) {
          throw new StartupFailure("KUBECONFIG names " + file + ", which does not exist or cannot be read: "
              + "point $KUBECONFIG at the cluster's kubeconfig", null);
        }
      }
      return;
    }
    boolean inCluster = environment.containsKey("KUBERNETES_SERVICE_HOST") && Files.isReadable(serviceAccountToken);
    if (!inCluster && !Files.isReadable(home.resolve(".kube/config"))) {
      throw new StartupFailure("no kubeconfig: set $KUBECONFIG to the cluster's kubeconfig (none at "
          + home.resolve(".kube/config") + ", and this is not a Pod with a service account)", null);
    }
  }

  /** The defaults of {@link #requireKubeconfig(Map, Path, Path)}: this process's environment and home. */
  public static void requireKubeconfig() {
    requireKubeconfig(System.getenv(), Path.of(System.getProperty("user.home")),
        Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"));
  }

  /**
   * One line for a failed start: a {@link StartupFailure}'s own message, the API server unreachable or
   * refusing the credentials, or else the exception and its causes.
   */
  public static String describe(Throwable failure, String apiServer) {
    Optional<StartupFailure> known = find(failure, StartupFailure.class);
    if (known.isPresent()) {
      return known.get().getMessage();
    }
    Optional<KubernetesClientException> api = find(failure, KubernetesClientException.class);
    if (api.isPresent() && (api.get().getCode() == 401 || api.get().getCode() == 403)) {
      var status = api.get().getStatus();
      String reason = status != null && status.getMessage() != null ? status.getMessage() : api.get().getMessage();
      return "the API server at " + apiServer + " refused the request (HTTP " + api.get().getCode() + ": "
          + reason.replaceAll("\\s+", " ").strip() + "): check the credentials in $KUBECONFIG and the RBAC rules";
    }
    Throwable root = root(failure);
    if (root instanceof ConnectException || root instanceof UnknownHostException || root instanceof SSLException
        || (api.isPresent() && root instanceof IOException)) {
      return "cannot reach the Kubernetes API server at " + apiServer + " (" + oneLine(root)
          + "): check the server in $KUBECONFIG and that it is up";
    }
    return oneLine(failure);
  }

  /** {@code Type: message <- Cause: message}, on one line. */
  static String oneLine(Throwable failure) {
    StringBuilder line = new StringBuilder();
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (line.length() > 0) {
        line.append(" <- ");
      }
      line.append(cause.getClass().getSimpleName());
      if (cause.getMessage() != null) {
        line.append(": ").append(cause.getMessage().replaceAll("\\s+", " ").strip());
      }
    }
    return line.toString();
  }

  private static Throwable root(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  private static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (type.isInstance(cause)) {
        return Optional.of(type.cast(cause));
      }
    }
    return Optional.empty();
  }
}
