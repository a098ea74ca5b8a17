package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** A blank disk made for the guest (KubeVirt's emptyDisk): zeros, sparse on the host, deleted with the guest. */
public class EmptyDisk {

  @Required
  @Size(max = 16)
  @Pattern("^[1-9][0-9]*(Mi|Gi)$")
  @ValidationRule(value = "quantity(self).compareTo(quantity('1Mi')) >= 0 && quantity(self).compareTo(quantity('1024Gi')) <= 0",
      message = "emptyDisk.capacity must be between 1Mi and 1024Gi")
  @JsonPropertyDescription("Size of the disk the guest sees, as a whole number of Mi or Gi (1Mi to 1024Gi). The "
      + "file on the host is sparse: it takes only the blocks the guest writes.")
  private String capacity;

  public EmptyDisk() {
  }

  public EmptyDisk(String capacity) {
    this.capacity = capacity;
  }

  public String getCapacity() {
    return capacity;
  }

  public void setCapacity(String capacity) {
    this.capacity = capacity;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EmptyDisk other && Objects.equals(capacity, other.capacity);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(capacity);
  }
}
