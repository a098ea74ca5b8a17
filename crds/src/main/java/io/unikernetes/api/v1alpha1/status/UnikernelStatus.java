package io.unikernetes.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Where and how a guest runs. Written by the scheduler until it is bound, then by the node's agent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UnikernelStatus {

  /** Upper bound of {@link #consoleHead}, so a chatty guest cannot bloat the object. */
  public static final int CONSOLE_HEAD_MAX_CHARS = 2048;
  public static final int CONSOLE_HEAD_MAX_LINES = 20;

  @JsonPropertyDescription("Lifecycle phase: Pending, Scheduled, Booting, Running, Succeeded or Failed.")
  private UnikernelPhase phase;

  @JsonPropertyDescription("The XenNode the guest is bound to.")
  private String nodeName;

  @JsonPropertyDescription("UUID of the guest's libvirt domain on its node.")
  private String domainUUID;

  @JsonPropertyDescription("How many times the agent restarted the guest under its restartPolicy.")
  private Integer restartCount;

  @JsonPropertyDescription("When the current domain was started (RFC 3339).")
  private String startTime;

  @JsonPropertyDescription("Milliseconds from starting the domain to the guest's first console output.")
  private Long bootDurationMillis;

  @JsonPropertyDescription("Boot protocols the agent found in the kernel image, comma-separated: pvh (a PVH "
      + "entry note), xen-pv (Xen PV notes), multiboot (a Multiboot header), linux (a Linux boot header); none "
      + "when it found none.")
  private String imageFormat;

  @JsonPropertyDescription("The first lines the guest printed on its console (at most 20 lines, 2048 characters).")
  private String consoleHead;

  @JsonPropertyDescription("The guest's IP address in its node's guest subnet, once it has one (as a Pod's podIP).")
  private String ip;

  @JsonPropertyDescription("Every address of the guest, the first being ip (as a Pod's podIPs).")
  private List<GuestAddress> addresses;

  @JsonPropertyDescription("On guests annotated unikernetes.io/activity-report-seconds (those of scale-to-zero "
      + "deployments): when the node last forwarded traffic to the guest, readiness and liveness probes not "
      + "counted (RFC 3339); written at most once per that many seconds.")
  private String lastActivityTime;

  @JsonPropertyDescription("The metadata.generation this status was computed from.")
  private Long observedGeneration;

  @JsonPropertyDescription("Scheduled: bound to a node. Ready: the guest runs.")
  private List<Condition> conditions = new ArrayList<>();

  public String getLastActivityTime() {
    return lastActivityTime;
  }

  public void setLastActivityTime(String lastActivityTime) {
    this.lastActivityTime = lastActivityTime;
  }

  public UnikernelPhase getPhase() {
    return phase;
  }

  public void setPhase(UnikernelPhase phase) {
    this.phase = phase;
  }

  public String getNodeName() {
    return nodeName;
  }

  public void setNodeName(String nodeName) {
    this.nodeName = nodeName;
  }

  public String getDomainUUID() {
    return domainUUID;
  }

  public void setDomainUUID(String domainUUID) {
    this.domainUUID = domainUUID;
  }

  public Integer getRestartCount() {
    return restartCount;
  }

  public void setRestartCount(Integer restartCount) {
    this.restartCount = restartCount;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  public Long getBootDurationMillis() {
    return bootDurationMillis;
  }

  public void setBootDurationMillis(Long bootDurationMillis) {
    this.bootDurationMillis = bootDurationMillis;
  }

  public String getImageFormat() {
    return imageFormat;
  }

  public void setImageFormat(String imageFormat) {
    this.imageFormat = imageFormat;
  }

  public String getConsoleHead() {
    return consoleHead;
  }

  public void setConsoleHead(String consoleHead) {
    this.consoleHead = consoleHead;
  }

  public String getIp() {
    return ip;
  }

  public void setIp(String ip) {
    this.ip = ip;
  }

  public List<GuestAddress> getAddresses() {
    return addresses;
  }

  public void setAddresses(List<GuestAddress> addresses) {
    this.addresses = addresses == null ? null : new ArrayList<>(addresses);
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : new ArrayList<>(conditions);
  }

  /** A deep copy, so a reconciler can compute the desired status and compare it with what was read. */
  public UnikernelStatus copy() {
    UnikernelStatus copy = new UnikernelStatus();
    copy.phase = phase;
    copy.nodeName = nodeName;
    copy.domainUUID = domainUUID;
    copy.restartCount = restartCount;
    copy.startTime = startTime;
    copy.bootDurationMillis = bootDurationMillis;
    copy.consoleHead = consoleHead;
    copy.imageFormat = imageFormat;
    copy.ip = ip;
    copy.setAddresses(addresses == null ? null
        : addresses.stream().map(a -> new GuestAddress(a.getIp())).toList());
    copy.lastActivityTime = lastActivityTime;
    copy.observedGeneration = observedGeneration;
    copy.setConditions(conditions);
    return copy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnikernelStatus other && phase == other.phase && Objects.equals(nodeName, other.nodeName)
        && Objects.equals(domainUUID, other.domainUUID) && Objects.equals(restartCount, other.restartCount)
        && Objects.equals(startTime, other.startTime) && Objects.equals(bootDurationMillis, other.bootDurationMillis)
        && Objects.equals(consoleHead, other.consoleHead) && Objects.equals(imageFormat, other.imageFormat)
        && Objects.equals(ip, other.ip)
        && Objects.equals(addresses, other.addresses)
        && Objects.equals(lastActivityTime, other.lastActivityTime)
        && Objects.equals(observedGeneration, other.observedGeneration)
        && Objects.equals(conditions, other.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(phase, nodeName, domainUUID, restartCount, startTime, bootDurationMillis, consoleHead,
        imageFormat, ip, addresses, lastActivityTime, observedGeneration, conditions);
  }
}
