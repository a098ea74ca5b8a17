package io.unikernetes.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Where a UnikernelDeployment's rollout stands. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UnikernelDeploymentStatus {

  @StatusReplicas
  @JsonPropertyDescription("Guests of this deployment that have not finished (any revision).")
  private Integer replicas;

  @JsonPropertyDescription("Guests of the current template revision.")
  private Integer updatedReplicas;

  @JsonPropertyDescription("Guests whose Ready condition is True.")
  private Integer readyReplicas;

  @JsonPropertyDescription("Guests Ready for at least minReadySeconds.")
  private Integer availableReplicas;

  @JsonPropertyDescription("Desired replicas that are not available.")
  private Integer unavailableReplicas;

  @JsonPropertyDescription("Hash of the current template; the guests of this revision carry it in the label "
      + "unikernetes.io/template-hash and their names.")
  private String currentRevision;

  @LabelSelector
  @JsonPropertyDescription("The label selector as a string, for the /scale subresource and autoscalers.")
  private String selector;

  @JsonPropertyDescription("When the rollout last made progress (a new revision, or more guests updated or "
      + "available); compared with progressDeadlineSeconds (RFC 3339).")
  private String lastProgressTime;

  @JsonPropertyDescription("The metadata.generation this status was computed from.")
  private Long observedGeneration;

  @JsonPropertyDescription("With spec.scaleToZero: the last wake from zero and what it took.")
  private WakeRecord lastWake;

  @JsonPropertyDescription("Available, Progressing, ScaledToZero (with spec.scaleToZero), and the kstatus "
      + "conditions Reconciling and Stalled.")
  private List<Condition> conditions = new ArrayList<>();

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getUpdatedReplicas() {
    return updatedReplicas;
  }

  public void setUpdatedReplicas(Integer updatedReplicas) {
    this.updatedReplicas = updatedReplicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public Integer getAvailableReplicas() {
    return availableReplicas;
  }

  public void setAvailableReplicas(Integer availableReplicas) {
    this.availableReplicas = availableReplicas;
  }

  public Integer getUnavailableReplicas() {
    return unavailableReplicas;
  }

  public void setUnavailableReplicas(Integer unavailableReplicas) {
    this.unavailableReplicas = unavailableReplicas;
  }

  public String getCurrentRevision() {
    return currentRevision;
  }

  public void setCurrentRevision(String currentRevision) {
    this.currentRevision = currentRevision;
  }

  public String getSelector() {
    return selector;
  }

  public void setSelector(String selector) {
    this.selector = selector;
  }

  public String getLastProgressTime() {
    return lastProgressTime;
  }

  public void setLastProgressTime(String lastProgressTime) {
    this.lastProgressTime = lastProgressTime;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public WakeRecord getLastWake() {
    return lastWake;
  }

  public void setLastWake(WakeRecord lastWake) {
    this.lastWake = lastWake;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : new ArrayList<>(conditions);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnikernelDeploymentStatus other && Objects.equals(replicas, other.replicas)
        && Objects.equals(updatedReplicas, other.updatedReplicas) && Objects.equals(readyReplicas, other.readyReplicas)
        && Objects.equals(availableReplicas, other.availableReplicas)
        && Objects.equals(unavailableReplicas, other.unavailableReplicas)
        && Objects.equals(currentRevision, other.currentRevision) && Objects.equals(selector, other.selector)
        && Objects.equals(lastProgressTime, other.lastProgressTime)
        && Objects.equals(observedGeneration, other.observedGeneration) && Objects.equals(lastWake, other.lastWake)
        && Objects.equals(conditions, other.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(replicas, updatedReplicas, readyReplicas, availableReplicas, unavailableReplicas,
        currentRevision, selector, lastProgressTime, observedGeneration, lastWake, conditions);
  }
}
