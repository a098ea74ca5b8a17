package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What to boot and where it may run: the part of a Unikernel's spec that a UnikernelDeployment templates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.readinessProbe) || !(has(self.readinessProbe.tcpSocket) || has(self.readinessProbe.httpGet)) || "
      + "[has(self.readinessProbe.tcpSocket) ? self.readinessProbe.tcpSocket.port : self.readinessProbe.httpGet.port].all(port, "
      + "type(port) == int ? port >= 1 && port <= 65535 : "
      + "has(self.ports) && self.ports.exists(p, has(p.name) && p.name == port))",
    fieldPath = ".readinessProbe",
    message = "readinessProbe port must be 1 to 65535 or the name of one of spec.ports")
@ValidationRule(value = "!has(self.livenessProbe) || !(has(self.livenessProbe.tcpSocket) || has(self.livenessProbe.httpGet)) || "
      + "[has(self.livenessProbe.tcpSocket) ? self.livenessProbe.tcpSocket.port : self.livenessProbe.httpGet.port].all(port, "
      + "type(port) == int ? port >= 1 && port <= 65535 : "
      + "has(self.ports) && self.ports.exists(p, has(p.name) && p.name == port))",
    fieldPath = ".livenessProbe",
    message = "livenessProbe port must be 1 to 65535 or the name of one of spec.ports")
@ValidationRule(value = "!has(self.livenessProbe) || !has(self.livenessProbe.successThreshold) "
    + "|| self.livenessProbe.successThreshold == 1",
    fieldPath = ".livenessProbe.successThreshold", message = "livenessProbe.successThreshold must be 1, as for Pods")
public class GuestSpec {

  public static final String DEFAULT_MEMORY = "32Mi";

  @Required
  @JsonPropertyDescription("The kernel image to boot (an ELF with a PVH or Xen PV entry point, a multiboot or "
      + "Linux kernel), pinned by digest: a file at a URL with its SHA-256, or an OCI image by digest.")
  protected ImageSource image;

  @Size(max = 16)
  @ValidationRule(value = "self.all(s, has(s.name) && s.name != '')",
      message = "each imagePullSecrets entry needs the name of a Secret in the guest's namespace")
  @JsonPropertyDescription("Secrets in the guest's namespace, of type kubernetes.io/dockerconfigjson as a Pod's "
      + "imagePullSecrets, holding the credentials to pull spec.image.reference. The agent of the guest's node "
      + "may read exactly these Secrets; they are tried in order, matched by registry host.")
  protected List<LocalObjectReference> imagePullSecrets;

  @Size(max = 1024)
  @ValidationRule(value = "!self.matches('[\\\\x00-\\\\x1f\\\\x7f]')",
      message = "cmdline must not contain control characters (newlines, tabs, NUL...)")
  @JsonPropertyDescription("Kernel command line passed to the guest (at most 1024 printable characters).")
  protected String cmdline;

  @Default(DEFAULT_MEMORY)
  @Size(max = 16)
  @Pattern("^[1-9][0-9]*(Mi|Gi)$")
  @ValidationRule(value = "quantity(self).compareTo(quantity('4Mi')) >= 0 && quantity(self).compareTo(quantity('256Gi')) <= 0",
      message = "memory must be between 4Mi and 256Gi")
  @JsonPropertyDescription("Guest memory as a whole number of Mi or Gi, between 4Mi and 256Gi (default 32Mi).")
  protected String memory;

  @Default("1")
  @Min(1)
  @Max(64)
  @JsonPropertyDescription("Number of virtual CPUs, 1 to 64 (default 1).")
  protected Integer vcpus;

  @JsonPropertyDescription("What the scheduler reserves for the guest besides its memory, as a Pod's "
      + "resources: requests.cpu (default 1m).")
  protected GuestResources resources;

  @Default("pvh")
  @JsonPropertyDescription("How the hypervisor starts the kernel: pvh (default; Xen PVH, or QEMU's PVH "
      + "direct-kernel boot), pv (Xen paravirtualised) or hvm (fully virtualised).")
  protected BootMode bootMode;

  @Default("Always")
  @JsonPropertyDescription("What to do when the guest stops: Always (default) restarts it, OnFailure restarts it "
      + "only after a crash, Never leaves the Unikernel Succeeded or Failed.")
  protected RestartPolicy restartPolicy;

  @Size(max = 32)
  @JsonPropertyDescription("Labels a XenNode must carry for the guest to be scheduled on it.")
  protected Map<String, String> nodeSelector;

  @Size(max = 32)
  @JsonPropertyDescription("Taints of XenNodes this guest may run on anyway (a tainted node refuses other guests).")
  protected List<Toleration> tolerations;

  @JsonPropertyDescription("Spread this guest and its group over different XenNodes (for availability) instead "
      + "of packing them densely.")
  protected TopologySpread topologySpread;

  // No schema default: a default filled in on read would change every stored deployment's template hash and
  // roll its guests on upgrade. Absent means bridge.
  @JsonPropertyDescription("bridge (the default when absent): a network interface on the node's guest bridge and an address "
      + "from the node's guest subnet (status.ip), once the node's agent has a bridge configured; none: no "
      + "network interface.")
  protected NetworkMode network;

  @JsonPropertyDescription("Whether the guest serves: the agent probes it (from its host) and the Ready condition, "
      + "and so Services and deployment rollouts, follow the result. Pod semantics: Ready stays False until the "
      + "probe passes.")
  protected Probe readinessProbe;

  @JsonPropertyDescription("Whether the guest is alive: after failureThreshold failures in a row the agent "
      + "restarts it under its restartPolicy, counts the restart and records an Event. Pod semantics.")
  protected Probe livenessProbe;

  @Size(max = 32)
  @ValidationRule(value = "self.all(p, !has(p.name) || self.exists_one(q, has(q.name) && q.name == p.name))",
      message = "port names must be unique within the guest")
  @ValidationRule(value = "self.all(p, self.exists_one(q, q.port == p.port && "
      + "(has(q.protocol) ? q.protocol : 'TCP') == (has(p.protocol) ? p.protocol : 'TCP')))",
      message = "each port and protocol may be listed once")
  @JsonPropertyDescription("Ports the guest listens on (at most 32), as a Pod's container ports: what clients "
      + "may connect to, and what a Service's targetPort can name.")
  protected List<GuestPort> ports;

  @Size(max = 8)
  @ValidationRule(value = "self.all(v, self.exists_one(w, w.name == v.name))",
      message = "volume names must be unique within the guest")
  @JsonPropertyDescription("Block devices of the guest (at most 8), in this order: /dev/vda, /dev/vdb... "
      + "(virtio-blk) on QEMU nodes, /dev/xvda, /dev/xvdb... (Xen vbd) on Xen nodes. Each is a disk image, shared "
      + "read-only or through a copy-on-write overlay of the guest's own, or a blank emptyDisk. Overlays and "
      + "blank disks survive the guest's restarts and are deleted with it.")
  protected List<GuestVolume> volumes;

  public List<GuestVolume> getVolumes() {
    return volumes;
  }

  public void setVolumes(List<GuestVolume> volumes) {
    this.volumes = volumes;
  }

  public ImageSource getImage() {
    return image;
  }

  public void setImage(ImageSource image) {
    this.image = image;
  }

  public String getCmdline() {
    return cmdline;
  }

  public void setCmdline(String cmdline) {
    this.cmdline = cmdline;
  }

  public String getMemory() {
    return memory;
  }

  public void setMemory(String memory) {
    this.memory = memory;
  }

  public Integer getVcpus() {
    return vcpus;
  }

  public void setVcpus(Integer vcpus) {
    this.vcpus = vcpus;
  }

  public BootMode getBootMode() {
    return bootMode;
  }

  public void setBootMode(BootMode bootMode) {
    this.bootMode = bootMode;
  }

  public RestartPolicy getRestartPolicy() {
    return restartPolicy;
  }

  public void setRestartPolicy(RestartPolicy restartPolicy) {
    this.restartPolicy = restartPolicy;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector == null ? null : new LinkedHashMap<>(nodeSelector);
  }

  /** The spec as it will run, with the API server's defaults filled in for objects built in code. */
  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public TopologySpread getTopologySpread() {
    return topologySpread;
  }

  public void setTopologySpread(TopologySpread topologySpread) {
    this.topologySpread = topologySpread;
  }

  public NetworkMode getNetwork() {
    return network;
  }

  public void setNetwork(NetworkMode network) {
    this.network = network;
  }

  public Probe getReadinessProbe() {
    return readinessProbe;
  }

  public void setReadinessProbe(Probe readinessProbe) {
    this.readinessProbe = readinessProbe;
  }

  public Probe getLivenessProbe() {
    return livenessProbe;
  }

  public void setLivenessProbe(Probe livenessProbe) {
    this.livenessProbe = livenessProbe;
  }

  public List<LocalObjectReference> getImagePullSecrets() {
    return imagePullSecrets;
  }

  public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
    this.imagePullSecrets = imagePullSecrets;
  }

  public List<GuestPort> getPorts() {
    return ports;
  }

  public void setPorts(List<GuestPort> ports) {
    this.ports = ports;
  }

  public GuestResources getResources() {
    return resources;
  }

  public void setResources(GuestResources resources) {
    this.resources = resources;
  }

  /** The CPU the guest requests, its default when absent. */
  public CpuAmount cpuRequest() {
    boolean given = resources != null && resources.getRequests() != null && resources.getRequests().getCpu() != null;
    return CpuAmount.parse(given ? resources.getRequests().getCpu().toString() : ResourceRequests.DEFAULT_CPU);
  }

  public ResolvedGuestSpec resolved() {
    return new ResolvedGuestSpec(
        image,
        cmdline == null ? "" : cmdline,
        MemorySize.parse(memory == null ? DEFAULT_MEMORY : memory),
        vcpus == null ? 1 : vcpus,
        cpuRequest(),
        bootMode == null ? BootMode.PVH : bootMode,
        restartPolicy == null ? RestartPolicy.Always : restartPolicy,
        nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector),
        network == null ? NetworkMode.BRIDGE : network);
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && o instanceof GuestSpec other && Objects.equals(image, other.image)
        && Objects.equals(cmdline, other.cmdline) && Objects.equals(memory, other.memory)
        && Objects.equals(vcpus, other.vcpus) && Objects.equals(resources, other.resources) && bootMode == other.bootMode && restartPolicy == other.restartPolicy
        && Objects.equals(nodeSelector, other.nodeSelector) && Objects.equals(tolerations, other.tolerations)
        && Objects.equals(topologySpread, other.topologySpread) && Objects.equals(ports, other.ports)
        && network == other.network && Objects.equals(readinessProbe, other.readinessProbe)
        && Objects.equals(livenessProbe, other.livenessProbe)
        && Objects.equals(imagePullSecrets, other.imagePullSecrets) && Objects.equals(volumes, other.volumes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(image, cmdline, memory, vcpus, resources, bootMode, restartPolicy, nodeSelector, tolerations,
        topologySpread, ports, network, readinessProbe, livenessProbe, imagePullSecrets, volumes);
  }
}
