package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** A file a guest boots from, fetched over HTTP(S) and pinned by its SHA-256 digest. */
public abstract class PinnedFile {

  @Required
  @Size(max = 2048)
  @ValidationRule(value = "self.matches('^https?://[^\\\\s]+$')",
      message = "url must be an http:// or https:// URL without spaces")
  @JsonPropertyDescription("Where to fetch the file (http or https). The agent downloads it once per digest "
      + "into its local cache.")
  private String url;

  @Required
  @Size(max = 64)
  @ValidationRule(value = "self.matches('^[0-9a-f]{64}$')",
      message = "sha256 must be the 64 lowercase hex characters of the file's SHA-256 digest")
  @JsonPropertyDescription("SHA-256 digest of the file as 64 lowercase hex characters. The guest never boots from "
      + "a file whose digest differs: the Unikernel fails with reason ImageDigestMismatch.")
  private String sha256;

  protected PinnedFile() {
  }

  protected PinnedFile(String url, String sha256) {
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
    return o != null && o.getClass() == getClass() && Objects.equals(url, ((PinnedFile) o).url)
        && Objects.equals(sha256, ((PinnedFile) o).sha256);
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, sha256);
  }
}
