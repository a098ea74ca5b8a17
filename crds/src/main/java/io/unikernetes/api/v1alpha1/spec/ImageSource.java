package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** Where the kernel image comes from, pinned by digest. */
public class ImageSource {

  @Required
  @Size(max = 2048)
  @ValidationRule(value = "self.matches('^https?://[^\\\\s]+$')",
      message = "image.url must be an http:// or https:// URL without spaces")
  @JsonPropertyDescription("URL of the kernel image (an ELF with a PVH or Xen PV entry point). "
      + "The agent downloads it once per digest into its local cache.")
  private String url;

  @Required
  @Size(max = 64)
  @ValidationRule(value = "self.matches('^[0-9a-f]{64}$')",
      message = "image.sha256 must be the 64 lowercase hex characters of the image's SHA-256 digest")
  @JsonPropertyDescription("SHA-256 digest of the image as 64 lowercase hex characters. The guest never boots "
      + "from an image whose digest differs: the Unikernel fails with reason ImageDigestMismatch.")
  private String sha256;

  public ImageSource() {
  }

  public ImageSource(String url, String sha256) {
    this.url = url;
    this.sha256 = sha256;
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

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageSource other && Objects.equals(url, other.url) && Objects.equals(sha256, other.sha256);
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, sha256);
  }
}
