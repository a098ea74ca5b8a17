package io.unikernetes.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * What the guests bound to a node request, overhead included: the "Allocated resources" of
 * {@code kubectl describe node}, next to the node's allocatable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AllocatedResources {

  @JsonPropertyDescription("Sum of the guests' resources.requests.cpu plus the per-guest overhead.")
  private String cpu;

  @JsonPropertyDescription("Sum of the guests' spec.memory plus the per-guest overhead.")
  private String memory;

  @JsonPropertyDescription("Number of guests bound to the node that have not finished.")
  private Integer guests;

  public AllocatedResources() {
  }

  public AllocatedResources(String cpu, String memory, Integer guests) {
    this.cpu = cpu;
    this.memory = memory;
    this.guests = guests;
  }

  public String getCpu() {
    return cpu;
  }

  public void setCpu(String cpu) {
    this.cpu = cpu;
  }

  public String getMemory() {
    return memory;
  }

  public void setMemory(String memory) {
    this.memory = memory;
  }

  public Integer getGuests() {
    return guests;
  }

  public void setGuests(Integer guests) {
    this.guests = guests;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AllocatedResources other && Objects.equals(cpu, other.cpu)
        && Objects.equals(memory, other.memory) && Objects.equals(guests, other.guests);
  }

  @Override
  public int hashCode() {
    return Objects.hash(cpu, memory, guests);
  }
}
