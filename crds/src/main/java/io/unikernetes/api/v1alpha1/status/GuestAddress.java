package io.unikernetes.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One address of a guest, as an entry of a Pod's status.podIPs. */
public class GuestAddress {

  @JsonPropertyDescription("An IP address of the guest, in its node's guest subnet.")
  private String ip;

  public GuestAddress() {
  }

  public GuestAddress(String ip) {
    this.ip = ip;
  }

  public String getIp() {
    return ip;
  }

  public void setIp(String ip) {
    this.ip = ip;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GuestAddress other && Objects.equals(ip, other.ip);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(ip);
  }
}
