package io.unikernetes.kubectl;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.api.v1alpha1.ArtifactServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The local environment's artifact server, found through its ConfigMap ({@link ArtifactServer}): a file is
 * copied into the directory it serves, named by its SHA-256 so one digest is one file, and fetched by the agents at
 * the server's URL.
 */
final class LocalArtifacts {

  /** A file the agents can fetch: its URL and digest, as spec.image wants them. */
  record Published(String url, String sha256) {
  }

  private final String baseUrl;
  private final Path directory;

  private LocalArtifacts(String baseUrl, Path directory) {
    this.baseUrl = baseUrl;
    this.directory = directory;
  }

  /** @throws IllegalStateException saying what to do when there is no local artifact server on this machine */
  static LocalArtifacts find(KubernetesClient client) {
    ConfigMap map = client.configMaps().inNamespace(ArtifactServer.CONFIG_MAP_NAMESPACE)
        .withName(ArtifactServer.CONFIG_MAP_NAME).get();
    if (map == null || map.getData() == null || !map.getData().containsKey(ArtifactServer.URL_KEY)
        || !map.getData().containsKey(ArtifactServer.DIRECTORY_KEY)) {
      throw new IllegalStateException("this cluster has no local artifact server (ConfigMap "
          + ArtifactServer.CONFIG_MAP_NAMESPACE + "/" + ArtifactServer.CONFIG_MAP_NAME + "): run is for the local "
          + "environment (hack/local-up.sh); elsewhere publish the kernel where the agents can fetch it and apply a "
          + "Unikernel with spec.image.url and spec.image.sha256");
    }
    Path directory = Path.of(map.getData().get(ArtifactServer.DIRECTORY_KEY));
    if (!Files.isDirectory(directory)) {
      throw new IllegalStateException("the local artifact server serves " + directory + ", which is not a "
          + "directory here: run kubectl unikernetes run on the machine of the local environment");
    }
    if (!Files.isWritable(directory)) {
      throw new IllegalStateException("the local artifact server serves " + directory + ", which you cannot write: "
          + "run kubectl unikernetes run as the user who started the local environment");
    }
    return new LocalArtifacts(map.getData().get(ArtifactServer.URL_KEY), directory);
  }

  Published publish(Path file) throws IOException {
    Path staged = Files.createTempFile(directory, ".upload-", ".partial");
    try {
      String sha256;
      try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256())) {
        Files.copy(in, staged, StandardCopyOption.REPLACE_EXISTING);
        sha256 = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
      }
      String name = sha256 + "-" + file.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
      Files.move(staged, directory.resolve(name), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      return new Published(baseUrl + name, sha256);
    } finally {
      Files.deleteIfExists(staged);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
