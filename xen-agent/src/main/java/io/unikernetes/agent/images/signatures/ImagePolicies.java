package io.unikernetes.agent.images.signatures;

import io.unikernetes.agent.images.ImageFetchException;
import io.unikernetes.agent.images.Sha256;
import io.unikernetes.api.v1alpha1.UnikernelImagePolicy;
import io.unikernetes.api.v1alpha1.spec.UnikernelImagePolicySpec;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The signature requirements of an image, from the UnikernelImagePolicies the agent's informer holds: one per
 * policy with a glob matching the image's registry/repository ({@code *} within a path segment, {@code **}
 * across segments, as sigstore's policy-controller globs). A key that cannot be read makes its policy
 * unsatisfiable rather than absent: a typo must not switch verification off.
 */
public final class ImagePolicies {

  /** No policies: nothing needs a signature (unit tests). */
  public static final ImagePolicies NONE = new ImagePolicies(Stream::empty, () -> true);

  private final Supplier<Stream<UnikernelImagePolicy>> policies;
  private final BooleanSupplier loaded;

  /** {@code loaded}: whether {@code policies} holds every policy yet (an informer that has synced). */
  public ImagePolicies(Supplier<Stream<UnikernelImagePolicy>> policies, BooleanSupplier loaded) {
    this.policies = policies;
    this.loaded = loaded;
  }

  /**
   * The requirements for {@code registry}/{@code repository}, empty when no policy matches. ImageFetchException
   * (retried) while the policies are not loaded yet: an image is never let through for want of them.
   */
  public List<SignatureRequirement> requirementsFor(String registry, String repository) throws ImageFetchException {
    if (!loaded.getAsBoolean()) {
      throw new ImageFetchException("the UnikernelImagePolicies are not loaded yet", null);
    }
    String image = registry + "/" + repository;
    List<SignatureRequirement> requirements = new ArrayList<>();
    policies.get().filter(p -> p.getSpec() != null && p.getSpec().getImages() != null
            && p.getSpec().getImages().stream().anyMatch(g -> g.getGlob() != null && matches(g.getGlob(), image)))
        .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName()))
        .forEach(p -> requirements.add(new SignatureRequirement(p.getMetadata().getName(), keys(p.getSpec()))));
    return requirements;
  }

  /** Glob to regex: ** any characters, * any but '/', the rest literal. */
  static boolean matches(String glob, String image) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
      } else if (c == '*') {
        regex.append("[^/]*");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return image.matches(regex.toString());
  }

  private static List<SignatureRequirement.SigningKey> keys(UnikernelImagePolicySpec spec) {
    List<SignatureRequirement.SigningKey> keys = new ArrayList<>();
    List<UnikernelImagePolicySpec.Authority> authorities = spec.getAuthorities() == null ? List.of()
        : spec.getAuthorities();
    for (int i = 0; i < authorities.size(); i++) {
      UnikernelImagePolicySpec.Authority authority = authorities.get(i);
      String name = authority.getName() != null ? authority.getName() : "authorities[" + i + "]";
      if (authority.getKey() == null || authority.getKey().getData() == null) {
        continue;
      }
      PublicKey key = parse(authority.getKey().getData());
      if (key != null) {
        keys.add(new SignatureRequirement.SigningKey(name, key, Sha256.of(key.getEncoded())));
      }
    }
    return keys;
  }

  /** A PEM "PUBLIC KEY" (PKIX), EC or RSA; null when it is neither. */
  static PublicKey parse(String pem) {
    String body = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(body.getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      return null;
    }
    for (String algorithm : new String[] {"EC", "RSA"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
      } catch (java.security.GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    return null;
  }
}
