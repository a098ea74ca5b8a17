package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** Lets a guest run on XenNodes carrying a matching taint. */
public class Toleration {

  /** How the key's value is compared. */
  public enum Operator { Equal, Exists }

  @Size(max = 253)
  @JsonPropertyDescription("Taint key to tolerate; empty with operator Exists tolerates every taint.")
  private String key;

  @Default("Equal")
  @JsonPropertyDescription("Equal (default): the taint's value must equal value. Exists: any value.")
  private Operator operator;

  @Size(max = 63)
  @JsonPropertyDescription("Value to match with operator Equal.")
  private String value;

  public Toleration() {
  }

  public Toleration(String key, Operator operator, String value) {
    this.key = key;
    this.operator = operator;
    this.value = value;
  }

  public boolean tolerates(Taint taint) {
    boolean exists = operator == Operator.Exists;
    if (key == null || key.isEmpty()) {
      return exists;
    }
    if (!key.equals(taint.getKey())) {
      return false;
    }
    return exists || Objects.equals(nullToEmpty(value), nullToEmpty(taint.getValue()));
  }

  private static String nullToEmpty(String text) {
    return text == null ? "" : text;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public Operator getOperator() {
    return operator;
  }

  public void setOperator(Operator operator) {
    this.operator = operator;
  }

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Toleration other && Objects.equals(key, other.key) && operator == other.operator
        && Objects.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, operator, value);
  }
}
