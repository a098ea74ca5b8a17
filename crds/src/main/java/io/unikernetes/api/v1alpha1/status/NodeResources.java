package io.unikernetes.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** An amount of host resources (capacity or allocatable). */
public class NodeResources {

  @JsonPropertyDescription("Memory as a Kubernetes quantity, e.g. 16384Mi.")
  private String memory;

  @JsonPropertyDescription("Number of vCPUs guests may use.")
  private Integer vcpus;

  @JsonPropertyDescription("Maximum number of guests on the node.")
  private Integer maxGuests;

  public NodeResources() {
  }

  public NodeResources(String memory, Integer vcpus, Integer maxGuests) {
    this.memory = memory;
    this.vcpus = vcpus;
    this.maxGuests = maxGuests;
  }

  public String getMemory() {
    return memory;
  }

  public void setMemory(String memory) {
    this.memory = memory;
  }

  public Integer getVcpus() {
    return vcpus;
  }

  public void setVcpus(Integer vcpus) {
    this.vcpus = vcpus;
  }

  public Integer getMaxGuests() {
    return maxGuests;
  }

  public void setMaxGuests(Integer maxGuests) {
    this.maxGuests = maxGuests;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeResources other && Objects.equals(memory, other.memory)
        && Objects.equals(vcpus, other.vcpus) && Objects.equals(maxGuests, other.maxGuests);
  }

  @Override
  public int hashCode() {
    return Objects.hash(memory, vcpus, maxGuests);
  }
}
