package io.unikernetes.api.v1alpha1;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Object names as label values. A XenNode name may be a 253-character DNS subdomain while a label value
 * holds at most 63 characters (Kubernetes API conventions, "Syntax and character set" of labels); a longer
 * name becomes its first 54 characters, a dash and 8 hex characters of its SHA-256, so distinct names stay
 * distinct. Labels made this way are for people and selectors only: no component decides anything on them.
 */
public final class LabelValues {

  /** Longest label value the API server accepts. */
  public static final int MAX_LENGTH = 63;
  private static final int HASH_LENGTH = 8;

  private LabelValues() {
  }

  /** {@code name} itself when it fits, else the shortened form; {@code name} must be a DNS subdomain. */
  public static String of(String name) {
    if (name.length() <= MAX_LENGTH) {
      return name;
    }
    String prefix = name.substring(0, MAX_LENGTH - HASH_LENGTH - 1).replaceAll("[^a-z0-9]+$", "");
    return prefix + "-" + sha256(name).substring(0, HASH_LENGTH);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
