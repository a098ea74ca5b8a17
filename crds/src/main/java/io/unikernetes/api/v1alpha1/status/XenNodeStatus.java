package io.unikernetes.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What a node's agent reports about its host. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class XenNodeStatus {

  @JsonPropertyDescription("Total resources of the host as libvirt reports them.")
  private NodeResources capacity;

  @JsonPropertyDescription("Resources the scheduler may hand to guests: capacity minus dom0's memory as Xen "
      + "reports it (on Xen) and minus what the agent reserves for the host (--reserved-memory, --reserved-cpu).")
  private NodeResources allocatable;

  @JsonPropertyDescription("What each guest costs the host beyond its own request; the scheduler adds it to "
      + "every guest on this node.")
  private GuestOverhead guestOverhead;

  @JsonPropertyDescription("What the guests bound to this node request, overhead included, kept up to date by "
      + "the agent: compare with allocatable, as kubectl describe node's Allocated resources.")
  private AllocatedResources allocated;

  @JsonPropertyDescription("The hypervisor behind libvirt.")
  private HypervisorInfo hypervisor;

  @JsonPropertyDescription("The libvirt connection URI the agent uses, e.g. xen:///system.")
  private String libvirtUri;

  @JsonPropertyDescription("Version of the xen-agent managing the node.")
  private String agentVersion;

  @JsonPropertyDescription("Ready: the agent is connected to the hypervisor and accepts guests.")
  private List<Condition> conditions = new ArrayList<>();

  public NodeResources getCapacity() {
    return capacity;
  }

  public void setCapacity(NodeResources capacity) {
    this.capacity = capacity;
  }

  public NodeResources getAllocatable() {
    return allocatable;
  }

  public void setAllocatable(NodeResources allocatable) {
    this.allocatable = allocatable;
  }

  public GuestOverhead getGuestOverhead() {
    return guestOverhead;
  }

  public void setGuestOverhead(GuestOverhead guestOverhead) {
    this.guestOverhead = guestOverhead;
  }

  public AllocatedResources getAllocated() {
    return allocated;
  }

  public void setAllocated(AllocatedResources allocated) {
    this.allocated = allocated;
  }

  public HypervisorInfo getHypervisor() {
    return hypervisor;
  }

  public void setHypervisor(HypervisorInfo hypervisor) {
    this.hypervisor = hypervisor;
  }

  public String getLibvirtUri() {
    return libvirtUri;
  }

  public void setLibvirtUri(String libvirtUri) {
    this.libvirtUri = libvirtUri;
  }

  public String getAgentVersion() {
    return agentVersion;
  }

  public void setAgentVersion(String agentVersion) {
    this.agentVersion = agentVersion;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : new ArrayList<>(conditions);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof XenNodeStatus other && Objects.equals(capacity, other.capacity)
        && Objects.equals(allocatable, other.allocatable) && Objects.equals(guestOverhead, other.guestOverhead)
        && Objects.equals(allocated, other.allocated) && Objects.equals(hypervisor, other.hypervisor)
        && Objects.equals(libvirtUri, other.libvirtUri) && Objects.equals(agentVersion, other.agentVersion)
        && Objects.equals(conditions, other.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(capacity, allocatable, guestOverhead, allocated, hypervisor, libvirtUri, agentVersion, conditions);
  }
}
