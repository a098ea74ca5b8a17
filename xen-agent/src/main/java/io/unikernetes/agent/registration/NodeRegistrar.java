package io.unikernetes.agent.registration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.unikernetes.agent.config.AgentConfig;
import io.unikernetes.agent.hypervisor.HostInfo;
import io.unikernetes.agent.hypervisor.Hypervisor;
import io.unikernetes.agent.hypervisor.HypervisorException;
import io.unikernetes.api.v1alpha1.ApiGroup;
import io.unikernetes.api.v1alpha1.LabelValues;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import io.unikernetes.api.v1alpha1.status.ConditionStatus;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.HypervisorInfo;
import io.unikernetes.api.v1alpha1.status.NodeResources;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.api.v1alpha1.status.XenNodeStatus;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
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

  public NodeRegistrar(KubernetesClient client, Hypervisor hypervisor, AgentConfig config, String agentVersion,
      Clock clock) {
    this.client = client;
    this.hypervisor = hypervisor;
    this.config = config;
    this.agentVersion = agentVersion;
    this.clock = clock;
  }

  /** Creates or updates the XenNode; safe to call repeatedly. */
  public XenNode register() {
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
        return client.resource(node).updateStatus();
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
      MemorySize memory = host.memory().floorToMebibytes();
      status.setCapacity(new NodeResources(memory.toQuantity(), host.cpus(), config.maxGuests()));
      status.setAllocatable(new NodeResources(memory.minus(config.reservedMemory()).toQuantity(),
          host.cpus() * config.vcpuOvercommit(), config.maxGuests()));
      status.setHypervisor(new HypervisorInfo(host.hypervisorType(), host.hypervisorVersion()));
    }
    boolean ready = problem == null;
    status.setConditions(Conditions.with(status.getConditions(), ConditionType.Ready, ConditionStatus.of(ready),
        ready ? Reason.HypervisorConnected : Reason.HypervisorUnreachable,
        ready ? "xen-agent " + agentVersion + " connected to " + config.libvirtUri() : problem, null, clock.instant()));
    return status;
  }
}
