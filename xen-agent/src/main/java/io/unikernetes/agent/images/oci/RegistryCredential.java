package io.unikernetes.agent.images.oci;

/**
 * A user name and password (or token) for one registry, and where it came from.
 *
 * @param source for messages, e.g. "Secret default/regcred"; never the secret itself
 */
public record RegistryCredential(String username, String password, String source) {

  @Override
  public String toString() {
    return "RegistryCredential[" + username + " from " + source + "]";
  }
}
