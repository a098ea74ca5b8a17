package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** What an administrator says about a host. */
public class XenNodeSpec {

  @JsonPropertyDescription("When true the scheduler binds no new guests to this node (cordon). Guests already "
      + "running stay.")
  private Boolean unschedulable;

  @io.fabric8.generator.annotation.Size(max = 32)
  @JsonPropertyDescription("Taints: only guests that tolerate them are scheduled here (guests already here stay).")
  private java.util.List<Taint> taints;

  @JsonPropertyDescription("When true the node is drained: it takes no new guests, and each UnikernelDeployment "
      + "replaces its guests here with guests elsewhere within its rollout bounds (maxSurge, maxUnavailable). "
      + "Guests no deployment owns stay until you delete them.")
  private Boolean drain;

  public Boolean getUnschedulable() {
    return unschedulable;
  }

  public void setUnschedulable(Boolean unschedulable) {
    this.unschedulable = unschedulable;
  }

  public java.util.List<Taint> getTaints() {
    return taints;
  }

  public void setTaints(java.util.List<Taint> taints) {
    this.taints = taints;
  }

  public Boolean getDrain() {
    return drain;
  }

  public void setDrain(Boolean drain) {
    this.drain = drain;
  }

  /** Cordoned nodes take no new guests; a draining node is cordoned too. */
  @JsonIgnore
  public boolean isCordoned() {
    return Boolean.TRUE.equals(unschedulable) || isDraining();
  }

  @JsonIgnore
  public boolean isDraining() {
    return Boolean.TRUE.equals(drain);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof XenNodeSpec other && Objects.equals(unschedulable, other.unschedulable)
        && Objects.equals(taints, other.taints) && Objects.equals(drain, other.drain);
  }

  @Override
  public int hashCode() {
    return Objects.hash(unschedulable, taints, drain);
  }
}
