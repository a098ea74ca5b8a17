package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** One header of an httpGet probe. */
public class HttpHeader {

  @Required
  @Size(max = 128)
  @Pattern("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
  @JsonPropertyDescription("Header name (an HTTP token).")
  private String name;

  @Required
  @Size(max = 1024)
  @io.fabric8.generator.annotation.ValidationRule(value = "!self.matches('[\\x00-\\x1f\\x7f]')",
      message = "a header value must not contain control characters")
  @JsonPropertyDescription("Header value.")
  private String value;

  public HttpHeader() {
  }

  public HttpHeader(String name, String value) {
    this.name = name;
    this.value = value;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HttpHeader other && Objects.equals(name, other.name) && Objects.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, value);
  }
}
