package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** What a guest asks of its host besides its memory and vCPUs, as a Pod's container resources. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GuestResources {

  @JsonPropertyDescription("What the scheduler reserves for the guest on its XenNode, as a Pod's requests.")
  private ResourceRequests requests;

  public GuestResources() {
  }

  public GuestResources(ResourceRequests requests) {
    this.requests = requests;
  }

  public ResourceRequests getRequests() {
    return requests;
  }

  public void setRequests(ResourceRequests requests) {
    this.requests = requests;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GuestResources other && Objects.equals(requests, other.requests);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(requests);
  }
}
