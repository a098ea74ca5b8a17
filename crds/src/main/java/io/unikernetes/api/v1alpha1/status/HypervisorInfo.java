package io.unikernetes.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** What libvirt reports about the hypervisor of a node. */
public class HypervisorInfo {

  @JsonPropertyDescription("Hypervisor type as libvirt names it: Xen, QEMU or TEST.")
  private String type;

  @JsonPropertyDescription("Hypervisor version, e.g. 4.17.5.")
  private String version;

  public HypervisorInfo() {
  }

  public HypervisorInfo(String type, String version) {
    this.type = type;
    this.version = version;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HypervisorInfo other && Objects.equals(type, other.type)
        && Objects.equals(version, other.version);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, version);
  }
}
