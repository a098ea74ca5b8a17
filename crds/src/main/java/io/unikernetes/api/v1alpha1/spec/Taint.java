package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** A mark on a XenNode that keeps guests away unless they tolerate it (NoSchedule, as for Nodes). */
public class Taint {

  @Required
  @Size(max = 253)
  @Pattern("^([a-z0-9.-]+/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
  @JsonPropertyDescription("Taint key, e.g. dedicated or unikernetes.io/maintenance.")
  private String key;

  @Size(max = 63)
  @JsonPropertyDescription("Taint value (optional).")
  private String value;

  public Taint() {
  }

  public Taint(String key, String value) {
    this.key = key;
    this.value = value;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Taint other && Objects.equals(key, other.key) && Objects.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, value);
  }

  @Override
  public String toString() {
    return value == null || value.isEmpty() ? key : key + "=" + value;
  }
}
