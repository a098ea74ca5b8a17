package io.unikernetes.agent.images.oci;

import io.unikernetes.agent.images.ImageFetchException;
import java.util.Optional;

/** The credential a pull uses for a registry: looked up when a pull starts, off the reconcile thread. */
@FunctionalInterface
public interface PullCredentials {

  PullCredentials NONE = registry -> Optional.empty();

  /**
   * The credential for {@code registry} (host[:port]), or empty to pull anonymously. ImageFetchException when
   * the credentials cannot be read (a Secret missing or malformed), with a message naming the Secret.
   */
  Optional<RegistryCredential> forRegistry(String registry) throws ImageFetchException;
}
