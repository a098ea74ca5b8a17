package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** What an administrator says about a host, and the guest subnet the operator gives it. */
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

  @io.fabric8.generator.annotation.Size(max = 18)
  @io.fabric8.generator.annotation.ValidationRule(
      value = "isCIDR(self) && cidr(self).ip().family() == 4 && string(cidr(self).masked()) == self "
          + "&& cidr(self).prefixLength() >= 8 && cidr(self).prefixLength() <= 29",
      message = "guestSubnet must be an IPv4 network in CIDR notation with no host bits set and a prefix length "
          + "of 8 to 29, such as 10.240.3.0/24")
  @JsonPropertyDescription("The IPv4 network this node's guests get their addresses from, such as 10.240.3.0/24 "
      + "(like a Node's podCIDR). The operator sets it from its guest pool when empty; set it yourself to pin "
      + "one. Cannot change once set.")
  private String guestSubnet;

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

  public String getGuestSubnet() {
    return guestSubnet;
  }

  public void setGuestSubnet(String guestSubnet) {
    this.guestSubnet = guestSubnet;
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
        && Objects.equals(taints, other.taints) && Objects.equals(drain, other.drain)
        && Objects.equals(guestSubnet, other.guestSubnet);
  }

  @Override
  public int hashCode() {
    return Objects.hash(unschedulable, taints, drain, guestSubnet);
  }
}
