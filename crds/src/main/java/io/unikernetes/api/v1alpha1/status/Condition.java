package io.unikernetes.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** A Kubernetes-style condition (type, status, reason, message, lastTransitionTime, observedGeneration). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {

  @Required
  @JsonPropertyDescription("Type of the condition, e.g. Ready or Scheduled.")
  private String type;

  @Required
  @JsonPropertyDescription("True, False or Unknown.")
  private ConditionStatus status;

  @JsonPropertyDescription("One CamelCase word saying why the condition has its status.")
  private String reason;

  @JsonPropertyDescription("Human-readable detail: what happened and, on failure, what to fix.")
  private String message;

  @JsonPropertyDescription("When the status last changed (RFC 3339).")
  private String lastTransitionTime;

  @JsonPropertyDescription("The metadata.generation the condition was computed from.")
  private Long observedGeneration;

  public Condition() {
  }

  public Condition(ConditionType type, ConditionStatus status, Reason reason, String message,
      String lastTransitionTime, Long observedGeneration) {
    this.type = type.name();
    this.status = status;
    this.reason = reason.name();
    this.message = message;
    this.lastTransitionTime = lastTransitionTime;
    this.observedGeneration = observedGeneration;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public ConditionStatus getStatus() {
    return status;
  }

  public void setStatus(ConditionStatus status) {
    this.status = status;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public boolean is(ConditionType conditionType) {
    return conditionType.name().equals(type);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Condition other && Objects.equals(type, other.type) && status == other.status
        && Objects.equals(reason, other.reason) && Objects.equals(message, other.message)
        && Objects.equals(lastTransitionTime, other.lastTransitionTime)
        && Objects.equals(observedGeneration, other.observedGeneration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, status, reason, message, lastTransitionTime, observedGeneration);
  }

  @Override
  public String toString() {
    return type + "=" + status + " (" + reason + ": " + message + ")";
  }
}
