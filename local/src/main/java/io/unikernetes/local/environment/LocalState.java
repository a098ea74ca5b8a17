package io.unikernetes.local.environment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files of a local environment kept up in the background, in its state directory (default
 * ~/.unikernetes/local). {@code pid} is written when it starts, {@code ready} (KEY=VALUE lines that
 * hack/local-up.sh prints from) once everything answers; both go when it stops. {@code kubeconfig},
 * {@code hello.yaml} and {@code artifacts/} stay where a user's shell and manifests expect them.
 */
public record LocalState(Path dir) {

  public Path pidFile() {
    return dir.resolve("pid");
  }

  public Path readyFile() {
    return dir.resolve("ready");
  }

  public Path kubeconfig() {
    return dir.resolve("kubeconfig");
  }

  /** The files the local artifact server serves: put a kernel here and point spec.image.url at it. */
  public Path artifacts() {
    return dir.resolve("artifacts");
  }

  /** The control plane's data and logs and the agent's state: new for every start. */
  public Path run() {
    return dir.resolve("run");
  }

  public Path helloManifest() {
    return dir.resolve("hello.yaml");
  }

  /** Writes {@code ready} whole or not at all: a reader never sees half of it. */
  public void markReady(Map<String, String> values) throws IOException {
    StringBuilder text = new StringBuilder();
    new LinkedHashMap<>(values).forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    Path partial = dir.resolve("ready.partial");
    Files.writeString(partial, text);
    Files.move(partial, readyFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
