package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The images a policy covers and the keys that may sign them. */
public class UnikernelImagePolicySpec {

  @Required
  @Size(min = 1, max = 64)
  @JsonPropertyDescription("The images this policy covers, by glob on registry/repository (no tag or digest): "
      + "* matches within one path segment, ** across segments (registry.example.org/team/**).")
  private List<ImageGlob> images;

  @Required
  @Size(min = 1, max = 16)
  @JsonPropertyDescription("Who may sign the images: a cosign signature by any one of these keys satisfies the "
      + "policy.")
  private List<Authority> authorities;

  public List<ImageGlob> getImages() {
    return images;
  }

  public void setImages(List<ImageGlob> images) {
    this.images = images;
  }

  public List<Authority> getAuthorities() {
    return authorities;
  }

  public void setAuthorities(List<Authority> authorities) {
    this.authorities = authorities;
  }

  /** One image glob. */
  public static class ImageGlob {
    @Required
    @Size(min = 1, max = 512)
    @ValidationRule(value = "!self.contains('@') && self.contains('/')",
        message = "glob matches registry/repository: name the registry, and no digest")
    @JsonPropertyDescription("Glob on registry/repository, e.g. registry.example.org/team/*.")
    private String glob;

    public ImageGlob() {
    }

    public ImageGlob(String glob) {
      this.glob = glob;
    }

    public String getGlob() {
      return glob;
    }

    public void setGlob(String glob) {
      this.glob = glob;
    }
  }

  /** A signer, by public key. */
  public static class Authority {
    @Size(max = 253)
    @JsonPropertyDescription("A name for messages and Events (default: the key's position).")
    private String name;

    @Required
    @JsonPropertyDescription("The signer's public key.")
    private Key key;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public Key getKey() {
      return key;
    }

    public void setKey(Key key) {
      this.key = key;
    }
  }

  /** A public key in PEM. */
  public static class Key {
    @Required
    @Size(max = 8192)
    @ValidationRule(value = "self.contains('-----BEGIN PUBLIC KEY-----')",
        message = "key.data must be a PEM public key (-----BEGIN PUBLIC KEY-----), as cosign.pub holds")
    @JsonPropertyDescription("The PEM public key, as cosign generate-key-pair writes cosign.pub: ECDSA P-256 "
        + "(cosign's default) or RSA, signing SHA-256 of the payload.")
    private String data;

    public String getData() {
      return data;
    }

    public void setData(String data) {
      this.data = data;
    }
  }
}
