package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** A file a guest boots from, fetched over HTTP(S) and pinned by its SHA-256 digest. */
public abstract class PinnedFile {

  /** CEL rule for a {@code url} field, shared with {@link ImageSource}, whose url is optional. */
  static final String URL_RULE = "self.matches('^https?://[^\\\\s]+$')";
  static final String URL_MESSAGE = "url must be an http:// or https:// URL without spaces";
  static final String SHA256_RULE = "self.matches('^[0-9a-f]{64}$')";
  static final String SHA256_MESSAGE = "sha256 must be the 64 lowercase hex characters of the file's SHA-256 digest";

  @Required
  @Size(max = 2048)
  @ValidationRule(value = URL_RULE, message = URL_MESSAGE)
  @JsonPropertyDescription("Where to fetch the file (http or https). The agent downloads it once per digest "
      + "into its local cache.")
  private String url;

  @Required
  @Size(max = 64)
  @ValidationRule(value = SHA256_RULE, message = SHA256_MESSAGE)
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
