package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * Where a disk image comes from, pinned by digest as the kernel is: a file at an http(s) URL with its SHA-256,
 * or the disk an OCI image carries. The file is raw or qcow2 (told apart by its first bytes).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.url) != has(self.reference)",
    message = "set exactly one of image.url (with image.sha256) and image.reference (an OCI image pinned by digest)")
@ValidationRule(value = "has(self.url) == has(self.sha256)",
    message = "image.sha256 pins image.url: set both, or neither when image.reference is set")
public class DiskSource {

  @Size(max = 2048)
  @ValidationRule(value = PinnedFile.URL_RULE, message = PinnedFile.URL_MESSAGE)
  @JsonPropertyDescription("Where to fetch the disk image (http or https, raw or qcow2); needs sha256. Cached "
      + "once per digest on the node and shared by every guest using it. Exclusive with reference.")
  private String url;

  @Size(max = 64)
  @ValidationRule(value = PinnedFile.SHA256_RULE, message = PinnedFile.SHA256_MESSAGE)
  @JsonPropertyDescription("SHA-256 digest of the file at url as 64 lowercase hex characters. A guest never "
      + "sees a disk whose digest differs: it fails with reason ImageDigestMismatch.")
  private String sha256;

  @Size(max = 1024)
  @ValidationRule(value = ImageSource.PINNED_RULE, message = ImageSource.PINNED_MESSAGE)
  @ValidationRule(value = ImageSource.REFERENCE_RULE, message = ImageSource.REFERENCE_MESSAGE)
  @JsonPropertyDescription("An OCI image pinned by digest whose disk layer is the volume: a layer of media type "
      + "application/vnd.unikernetes.disk.v1, or the file urunc's com.urunc.unikernel.block names. It may be the "
      + "guest's own spec.image.reference. Pulled with spec.imagePullSecrets and checked against "
      + "UnikernelImagePolicies as the kernel is. Exclusive with url.")
  private String reference;

  public DiskSource() {
  }

  public DiskSource(String url, String sha256) {
    this.url = url;
    this.sha256 = sha256;
  }

  /** A disk from an OCI image: {@code reference} as in {@link #getReference()}. */
  public static DiskSource oci(String reference) {
    DiskSource disk = new DiskSource();
    disk.setReference(reference);
    return disk;
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

  /** The disk as a download: the agent's cache fetches and verifies it as it does kernels. */
  public ImageSource asDownload() {
    return reference != null ? ImageSource.oci(reference) : new ImageSource(url, sha256);
  }

  @JsonIgnore
  public String location() {
    return reference != null ? reference : url;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DiskSource other && Objects.equals(url, other.url) && Objects.equals(sha256, other.sha256)
        && Objects.equals(reference, other.reference);
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, sha256, reference);
  }
}
