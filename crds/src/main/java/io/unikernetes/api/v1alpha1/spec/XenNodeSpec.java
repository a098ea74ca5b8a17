package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** What an administrator says about a host. */
public class XenNodeSpec {

  @JsonPropertyDescription("When true the scheduler binds no new guests to this node (cordon). Guests already "
      + "running stay.")
  private Boolean unschedulable;

  public Boolean getUnschedulable() {
    return unschedulable;
  }

  public void setUnschedulable(Boolean unschedulable) {
    this.unschedulable = unschedulable;
  }

  @JsonIgnore
  public boolean isCordoned() {
    return Boolean.TRUE.equals(unschedulable);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof XenNodeSpec other && Objects.equals(unschedulable, other.unschedulable);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(unschedulable);
  }
}
