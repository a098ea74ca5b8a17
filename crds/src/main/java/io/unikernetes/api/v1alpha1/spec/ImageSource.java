package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * Where the kernel image (and its initial ramdisk, if any) comes from, pinned by digest: a file at an http(s)
 * URL with its SHA-256, or an OCI image in a registry, by digest.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.url) != has(self.reference)",
    message = "set exactly one of image.url (with image.sha256) and image.reference (an OCI image pinned by digest)")
@ValidationRule(value = "has(self.url) == has(self.sha256)",
    message = "image.sha256 pins image.url: set both, or neither when image.reference (which carries its digest) "
        + "is set")
@ValidationRule(value = "!has(self.reference) || !has(self.initrd)",
    message = "image.initrd cannot be combined with image.reference: the OCI image carries its own initrd")
public class ImageSource {

  /** An OCI reference by digest: registry host (and port), repository path, optional tag, then the digest. */
  static final String REFERENCE_PATTERN =
      "^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]+)?(/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)+"
          + "(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?@sha256:[0-9a-f]{64}$";
  /** CEL rules of a {@code reference} field, shared with {@link DiskSource}. */
  static final String PINNED_RULE = "self.matches('@sha256:[0-9a-f]{64}$')";
  static final String PINNED_MESSAGE = "image.reference must be pinned by digest: append @sha256:<64 hex digits> "
      + "(oras resolve or crane digest prints it); a tag alone can name different content on every pull";
  static final String REFERENCE_RULE = "self.matches('" + REFERENCE_PATTERN + "')";
  static final String REFERENCE_MESSAGE = "image.reference must be registry-host[:port]/repository[:tag]@sha256:"
      + "<digest>, with a lowercase repository path and the registry named explicitly (e.g. "
      + "registry.example.org/team/app@sha256:...)";

  @Size(max = 2048)
  @ValidationRule(value = PinnedFile.URL_RULE, message = PinnedFile.URL_MESSAGE)
  @JsonPropertyDescription("Where to fetch the kernel file (http or https); needs sha256. The agent downloads it "
      + "once per digest into its local cache. Exclusive with reference.")
  private String url;

  @Size(max = 64)
  @ValidationRule(value = PinnedFile.SHA256_RULE, message = PinnedFile.SHA256_MESSAGE)
  @JsonPropertyDescription("SHA-256 digest of the file at url as 64 lowercase hex characters. The guest never "
      + "boots from a file whose digest differs: the Unikernel fails with reason ImageDigestMismatch.")
  private String sha256;

  @Size(max = 1024)
  @ValidationRule(value = PINNED_RULE, message = PINNED_MESSAGE)
  @ValidationRule(value = REFERENCE_RULE, message = REFERENCE_MESSAGE)
  @JsonPropertyDescription("An OCI image in a registry, pinned by digest: registry.example.org/team/app@sha256:"
      + "<64 hex>. The agent pulls the manifest and the layers it needs, verifies every digest, and boots the "
      + "kernel (and initrd) the image names with KraftKit's or urunc's conventions or Unikernetes' media types. "
      + "Credentials come from spec.imagePullSecrets. Exclusive with url.")
  private String reference;

  @JsonPropertyDescription("An initial ramdisk passed to the guest with the kernel (a Unikraft root filesystem, a "
      + "Linux initramfs), cached and verified exactly like the kernel. Only with url: an OCI image carries its "
      + "own.")
  private InitrdSource initrd;

  public ImageSource() {
  }

  public ImageSource(String url, String sha256) {
    this.url = url;
    this.sha256 = sha256;
  }

  /** An image pulled from a registry: {@code reference} as in {@link #getReference()}. */
  public static ImageSource oci(String reference) {
    ImageSource image = new ImageSource();
    image.setReference(reference);
    return image;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getSha256() {
    return sha256;
  }

  public void setSha256(String sha256) {
    this.sha256 = sha256;
  }

  public String getReference() {
    return reference;
  }

  public void setReference(String reference) {
    this.reference = reference;
  }

  public InitrdSource getInitrd() {
    return initrd;
  }

  public void setInitrd(InitrdSource initrd) {
    this.initrd = initrd;
  }

  /** The source for messages: the URL or the OCI reference. */
  @JsonIgnore
  public String location() {
    return reference != null ? reference : url;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageSource other && Objects.equals(url, other.url) && Objects.equals(sha256, other.sha256)
        && Objects.equals(reference, other.reference) && Objects.equals(initrd, other.initrd);
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, sha256, reference, initrd);
  }
}
