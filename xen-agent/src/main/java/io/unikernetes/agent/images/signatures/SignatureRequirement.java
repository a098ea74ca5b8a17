package io.unikernetes.agent.images.signatures;

import java.security.PublicKey;
import java.util.List;

/**
 * What one matching UnikernelImagePolicy asks of an image: a signature by any of {@code keys}.
 *
 * @param policy the policy's name, for messages
 */
public record SignatureRequirement(String policy, List<SigningKey> keys) {

  /**
   * One authority's key.
   *
   * @param name the authority's name, for messages
   * @param fingerprint SHA-256 of the key's encoded form, hex: how a verification is remembered
   */
  public record SigningKey(String name, PublicKey key, String fingerprint) {
  }
}
