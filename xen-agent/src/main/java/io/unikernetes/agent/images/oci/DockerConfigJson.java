package io.unikernetes.agent.images.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the credentials of a Secret of type {@code kubernetes.io/dockerconfigjson}: its {@code .dockerconfigjson}
 * key holds {@code {"auths": {"<registry>": {"username", "password"} or {"auth": base64(user:password)}}}}, the
 * format of Docker's config.json that kubectl create secret docker-registry writes. Registry keys may carry a
 * scheme and a path ({@code https://index.docker.io/v1/}); they match on host and port.
 */
public final class DockerConfigJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private DockerConfigJson() {
  }

  /**
   * The credential for {@code registry} (host[:port]) in {@code configJson}, if any. IllegalArgumentException
   * naming what is wrong when the document is not such JSON.
   */
  public static Optional<RegistryCredential> find(byte[] configJson, String registry, String source) {
    JsonNode auths;
    try {
      auths = JSON.readTree(configJson).path("auths");
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": .dockerconfigjson is not JSON: " + e.getMessage(), e);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!host(entry.getKey()).equalsIgnoreCase(registry)) {
        continue;
      }
      JsonNode auth = entry.getValue();
      if (auth.hasNonNull("username")) {
        return Optional.of(new RegistryCredential(auth.path("username").asText(), auth.path("password").asText(""),
            source));
      }
      if (auth.hasNonNull("auth")) {
        String pair;
        try {
          pair = new String(Base64.getDecoder().decode(auth.path("auth").asText()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(source + ": auths." + entry.getKey() + ".auth is not base64", e);
        }
        int colon = pair.indexOf(':');
        if (colon < 0) {
          throw new IllegalArgumentException(source + ": auths." + entry.getKey() + ".auth is not user:password");
        }
        return Optional.of(new RegistryCredential(pair.substring(0, colon), pair.substring(colon + 1), source));
      }
    }
    return Optional.empty();
  }

  /** "https://registry.example.org:5000/v1/" → "registry.example.org:5000". */
  static String host(String key) {
    String host = key.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
    int slash = host.indexOf('/');
    return slash < 0 ? host : host.substring(0, slash);
  }
}
