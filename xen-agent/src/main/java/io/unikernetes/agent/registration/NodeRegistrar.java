package io.unikernetes.agent.registration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.unikernetes.agent.config.AgentConfig;
import io.unikernetes.agent.hypervisor.HostInfo;
import io.unikernetes.agent.hypervisor.Hypervisor;
import io.unikernetes.agent.hypervisor.HypervisorException;
import io.unikernetes.api.v1alpha1.ApiGroup;
import io.unikernetes.api.v1alpha1.LabelValues;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.status.AllocatedResources;
import io.unikernetes.api.v1alpha1.status.ConditionStatus;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.HypervisorInfo;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.api.v1alpha1.status.XenNodeStatus;
import io.unikernetes.common.client.MergePatch;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers this host as a XenNode and keeps its status true: capacity from libvirt's host info, what is
 * allocatable to guests, and a Ready condition that says whether libvirt answers.
 */
public class NodeRegistrar {

  private static final Logger LOG = LoggerFactory.getLogger(NodeRegistrar.class);

  private final KubernetesClient client;
  private final Hypervisor hypervisor;
  private final AgentConfig config;
  private final String agentVersion;
  private final Clock clock;
  /** The node's guests as the guest controller caches them; none until the controller runs. */
  private volatile Supplier<Stream<Unikernel>> guests = Stream::empty;
  /** Why the image cache takes no new image, or empty; reported as the DiskPressure condition. */
  private volatile Supplier<Optional<String>> diskPressure = Optional::empty;
  private volatile NodeCapacity capacity;
  /** What status.allocated last said as far as this agent knows, so unchanged sums are not written again. */
  private volatile AllocatedResources allocated;
  private final NodeAllocation allocation = new NodeAllocation();

  public NodeRegistrar(KubernetesClient client, Hypervisor hypervisor, AgentConfig config, String agentVersion,
      Clock clock) {
    this.client = client;
    this.hypervisor = hypervisor;
    this.config = config;
    this.agentVersion = agentVersion;
    this.clock = clock;
  }

  /** Where the guests bound to this node are cached, for status.allocated. */
  public void countGuestsFrom(Supplier<Stream<Unikernel>> cachedGuests) {
    this.guests = cachedGuests;
  }

  /** Where the image cache's disk pressure is read, for the DiskPressure condition. */
  public void reportDiskPressureFrom(Supplier<Optional<String>> pressure) {
    this.diskPressure = pressure;
  }

  /**
   * Writes status.allocated when the guests' sum changed since it was last written: a merge patch of that
   * field alone, so it never races the rest of the status. Cheap when nothing changed: one pass over the cache.
   * Synchronized with {@link #register}, so what is remembered as written is what was written last.
   */
  public synchronized void refreshAllocated() {
    NodeCapacity node = capacity;
    if (node == null) {
      return;
    }
    AllocatedResources now = allocation.of(guests.get(), node);
    if (now.equals(allocated)) {
      return;
    }
    MergePatch.applyToStatus(client, XenNode::new, null, config.nodeName(),
        client.getKubernetesSerialization().asJson(Map.of("status", Map.of("allocated", now))));
    allocated = now;
  }

  /** Creates or updates the XenNode; safe to call repeatedly. */
  public synchronized XenNode register() {
    HostInfo host = null;
    String problem = null;
    try {
      host = hypervisor.hostInfo();
    } catch (HypervisorException e) {
      problem = e.getMessage();
    }
    for (int attempt = 1; ; attempt++) {
      try {
        XenNode node = ensureExists(host);
        node.setStatus(status(node.getStatus(), host, problem));
        XenNode updated = client.resource(node).updateStatus();
        allocated = updated.getStatus().getAllocated();
        return updated;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == 3) {
          throw e;
        }
        LOG.debug("XenNode {} changed while registering; retrying", config.nodeName());
      }
    }
  }

  private XenNode ensureExists(HostInfo host) {
    var resource = client.resources(XenNode.class).withName(config.nodeName());
    XenNode existing = resource.get();
    Map<String, String> wanted = labels(host);
    if (existing == null) {
      XenNode node = new XenNode();
      node.getMetadata().setName(config.nodeName());
      node.getMetadata().setLabels(wanted);
      LOG.info("registering XenNode {}", config.nodeName());
      return client.resource(node).create();
    }
    Map<String, String> labels = existing.getMetadata().getLabels() == null
        ? new HashMap<>() : new HashMap<>(existing.getMetadata().getLabels());
    if (!labels.entrySet().containsAll(wanted.entrySet())) {
      labels.putAll(wanted);
      existing.getMetadata().setLabels(labels);
      return client.resource(existing).update();
    }
    return existing;
  }

  private Map<String, String> labels(HostInfo host) {
    Map<String, String> labels = new HashMap<>(config.nodeLabels());
    labels.put(ApiGroup.HOSTNAME_LABEL, LabelValues.of(config.nodeName()));
    if (host != null) {
      labels.put(ApiGroup.HYPERVISOR_LABEL, host.hypervisorType().toLowerCase(Locale.ROOT));
    }
    return labels;
  }

  private XenNodeStatus status(XenNodeStatus previous, HostInfo host, String problem) {
    XenNodeStatus status = previous == null ? new XenNodeStatus() : previous;
    status.setLibvirtUri(config.libvirtUri());
    status.setAgentVersion(agentVersion);
    if (host != null) {
      if (host.hostDomainBallooning() && capacity == null) {
        LOG.warn("dom0 has no fixed memory (it balloons): allocatable memory is the machine's less only "
            + "--reserved-memory; boot Xen with dom0_mem=X,max:X so dom0's memory is known and kept from guests");
      }
      NodeCapacity resources = NodeCapacity.of(host, config);
      status.setCapacity(resources.capacity());
      status.setAllocatable(resources.allocatable());
      status.setGuestOverhead(resources.guestOverhead());
      status.setAllocated(allocation.of(guests.get(), resources));
      capacity = resources;
      status.setHypervisor(new HypervisorInfo(host.hypervisorType(), host.hypervisorVersion()));
    }
    boolean ready = problem == null;
    status.setConditions(Conditions.with(status.getConditions(), ConditionType.Ready, ConditionStatus.of(ready),
        ready ? Reason.HypervisorConnected : Reason.HypervisorUnreachable,
        ready ? "xen-agent " + agentVersion + " connected to " + config.libvirtUri() : problem, null, clock.instant()));
    Optional<String> pressure = diskPressure.get();
    status.setConditions(Conditions.with(status.getConditions(), ConditionType.DiskPressure,
        ConditionStatus.of(pressure.isPresent()), pressure.isPresent() ? Reason.DiskPressure : Reason.NoDiskPressure,
        pressure.orElse("the image cache has room for new images"), null, clock.instant()));
    return status;
  }
}
