package io.unikernetes.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;
import com.fasterxml.jackson.annotation.JsonInclude;

/** An amount of host resources (capacity or allocatable). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeResources {

  @JsonPropertyDescription("Memory as a Kubernetes quantity, e.g. 16384Mi.")
  private String memory;

  @JsonPropertyDescription("CPU as a Kubernetes quantity in host CPUs, e.g. 2 or 1900m.")
  private String cpu;

  @JsonPropertyDescription("Maximum number of guests on the node.")
  private Integer maxGuests;

  public NodeResources() {
  }

  public NodeResources(String memory, String cpu, Integer maxGuests) {
    this.memory = memory;
    this.cpu = cpu;
    this.maxGuests = maxGuests;
  }

  public String getMemory() {
    return memory;
  }

  public void setMemory(String memory) {
    this.memory = memory;
  }

  public String getCpu() {
    return cpu;
  }

  public void setCpu(String cpu) {
    this.cpu = cpu;
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
        && Objects.equals(cpu, other.cpu) && Objects.equals(maxGuests, other.maxGuests);
  }

  @Override
  public int hashCode() {
    return Objects.hash(memory, cpu, maxGuests);
  }
}
