package io.unikernetes.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * What running one guest costs the host beyond the guest's own request, as a RuntimeClass's
 * {@code overhead.podFixed}: the scheduler adds it to every guest placed on the node.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GuestOverhead {

  @JsonPropertyDescription("Memory per guest beyond spec.memory, as a Kubernetes quantity: Xen's per-domain "
      + "structures and page tables, or the QEMU process on a development host.")
  private String memory;

  @JsonPropertyDescription("CPU per guest beyond its request, as a Kubernetes quantity.")
  private String cpu;

  public GuestOverhead() {
  }

  public GuestOverhead(String memory, String cpu) {
    this.memory = memory;
    this.cpu = cpu;
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

  @Override
  public boolean equals(Object o) {
    return o instanceof GuestOverhead other && Objects.equals(memory, other.memory) && Objects.equals(cpu, other.cpu);
  }

  @Override
  public int hashCode() {
    return Objects.hash(memory, cpu);
  }
}
