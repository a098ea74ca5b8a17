package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Objects;

/**
 * A guest's resource requests. Memory is not here: a guest's memory is exactly {@code spec.memory}, which the
 * scheduler counts in full.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourceRequests {

  /** An idle unikernel barely runs: dense by default, so memory, not CPU, fills a host (issue 12). */
  public static final String DEFAULT_CPU = "1m";

  @ValidationRule(value = "type(self) == int ? self >= 0 && self <= 64 : isQuantity(self) "
      + "&& quantity(self).compareTo(quantity('0')) >= 0 && quantity(self).compareTo(quantity('64')) <= 0",
      message = "cpu must be a quantity from 0 to 64, e.g. 50m, \"0.5\" or 2")
  @JsonPropertyDescription("CPU the guest needs, as a Kubernetes quantity in host CPUs (e.g. 50m, \"0.5\" "
      + "quoted, 2), from 0 to 64; default 1m, about what an idle unikernel uses. The scheduler places the guest only where "
      + "this much of the XenNode's allocatable CPU is free. Not a limit: the guest may use more when the host "
      + "is idle.")
  private Quantity cpu;

  public ResourceRequests() {
  }

  public ResourceRequests(Quantity cpu) {
    this.cpu = cpu;
  }

  public Quantity getCpu() {
    return cpu;
  }

  public void setCpu(Quantity cpu) {
    this.cpu = cpu;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResourceRequests other && Objects.equals(cpu, other.cpu);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(cpu);
  }
}
