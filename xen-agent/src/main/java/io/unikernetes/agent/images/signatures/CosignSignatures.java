package io.unikernetes.agent.images.signatures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Checks cosign signatures of an image in the format cosign keeps beside it: a manifest tagged
 * {@code sha256-<hex>.sig} whose layers are simple-signing payloads (media type {@value #PAYLOAD_MEDIA_TYPE},
 * sigstore's payload.go: {@code critical.image.docker-manifest-digest} names the signed image) with the
 * base64 signature of the payload's bytes in the annotation {@value #SIGNATURE_ANNOTATION} (cosign's
 * pkg/oci/static). ECDSA keys sign SHA-256 of the payload, DER-encoded (cosign's default P-256 key); RSA keys
 * PKCS#1 v1.5 with SHA-256. Pure: the caller fetches the manifest and payloads.
 */
public final class CosignSignatures {

  public static final String PAYLOAD_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  static final String TYPE = "cosign container image signature";
  private static final ObjectMapper JSON = new ObjectMapper();

  private CosignSignatures() {
  }

  /** The tag of the signatures of the image whose manifest digest is {@code digest} (sha256:hex). */
  public static String signatureTag(String digest) {
    return digest.replace(':', '-') + ".sig";
  }

  /** A payload layer of a signature manifest: its descriptor's digest and its base64 signature. */
  public record SignedPayload(String payloadDigest, String signatureBase64) {
  }

  /** The payload layers of a signature manifest that carry a signature annotation. */
  public static List<SignedPayload> payloads(JsonNode signatureManifest) {
    List<SignedPayload> payloads = new ArrayList<>();
    for (JsonNode layer : signatureManifest.path("layers")) {
      String signature = layer.path("annotations").path(SIGNATURE_ANNOTATION).asText("");
      if (layer.path("mediaType").asText().equals(PAYLOAD_MEDIA_TYPE) && !signature.isEmpty()) {
        payloads.add(new SignedPayload(layer.path("digest").asText(), signature));
      }
    }
    return payloads;
  }

  /**
   * The key among {@code keys} that signed {@code payload}, if the payload names {@code imageDigest} as the
   * signed manifest; empty when it names another image or no key verifies it.
   */
  public static Optional<SignatureRequirement.SigningKey> verify(byte[] payload, String signatureBase64,
      String imageDigest, List<SignatureRequirement.SigningKey> keys) {
    try {
      JsonNode critical = JSON.readTree(payload).path("critical");
      if (!critical.path("image").path("docker-manifest-digest").asText().equals(imageDigest)
          || !critical.path("type").asText().equals(TYPE)) {
        return Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(signatureBase64.trim());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    for (SignatureRequirement.SigningKey key : keys) {
      if (valid(key.key(), payload, signature)) {
        return Optional.of(key);
      }
    }
    return Optional.empty();
  }

  private static boolean valid(PublicKey key, byte[] payload, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(key.getAlgorithm().equals("EC") ? "SHA256withECDSA"
          : "SHA256withRSA");
      verifier.initVerify(key);
      verifier.update(payload);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
