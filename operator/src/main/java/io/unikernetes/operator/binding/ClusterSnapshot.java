package io.unikernetes.operator.binding;

import io.unikernetes.api.v1alpha1.Binding;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.CpuAmount;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import io.unikernetes.api.v1alpha1.spec.ResolvedGuestSpec;
import io.unikernetes.api.v1alpha1.spec.Taint;
import io.unikernetes.api.v1alpha1.spec.Toleration;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.GuestOverhead;
import io.unikernetes.api.v1alpha1.status.NodeResources;
import io.unikernetes.api.v1alpha1.status.XenNodeStatus;
import io.unikernetes.operator.scheduler.GuestRequest;
import io.unikernetes.operator.scheduler.NodeCandidate;
import io.unikernetes.operator.scheduler.Overhead;
import io.unikernetes.operator.scheduler.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Turns API objects into the scheduler's view: node candidates and what is already bound to each node. */
final class ClusterSnapshot {

  /**
   * The taint a node under DiskPressure carries for the scheduler, as Kubernetes' node lifecycle controller puts
   * node.kubernetes.io/disk-pressure:NoSchedule on such a Node: new guests go elsewhere unless they tolerate it.
   */
  static final Taint DISK_PRESSURE = new Taint("node.kubernetes.io/disk-pressure", null);

  private ClusterSnapshot() {
  }

  static NodeCandidate candidate(XenNode node) {
    XenNodeStatus status = node.getStatus();
    boolean ready = status != null && Conditions.isTrue(status.getConditions(), ConditionType.Ready);
    NodeResources allocatable = status == null ? null : status.getAllocatable();
    // A node that has not said what it has gets nothing: better Unschedulable than overcommitted.
    Resources resources = allocatable == null || allocatable.getMemory() == null
        ? Resources.NONE
        : new Resources(MemorySize.parse(allocatable.getMemory()), allocatableCpu(allocatable.getCpu()),
            orZero(allocatable.getMaxGuests()));
    NodeResources capacity = status == null ? null : status.getCapacity();
    // Unknown CPU count: no vCPU limit (allocatable CPU still bounds the guests).
    int hostCpus = capacity == null || capacity.getCpu() == null ? Integer.MAX_VALUE
        : (int) Math.min(Integer.MAX_VALUE, cpu(capacity.getCpu()).millis() / 1000);
    GuestOverhead overhead = status == null ? null : status.getGuestOverhead();
    Overhead perGuest = overhead == null ? Overhead.NONE
        : new Overhead(overhead.getMemory() == null ? MemorySize.ZERO : MemorySize.parse(overhead.getMemory()),
            cpu(overhead.getCpu()));
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    var spec = node.getSpec();
    List<Taint> taints = new ArrayList<>(spec == null || spec.getTaints() == null ? List.of() : spec.getTaints());
    if (status != null && Conditions.isTrue(status.getConditions(), ConditionType.DiskPressure)) {
      taints.add(DISK_PRESSURE);
    }
    return new NodeCandidate(node.getMetadata().getName(), labels, ready, spec != null && spec.isCordoned(),
        List.copyOf(taints), resources, hostCpus, perGuest);
  }

  /** No CPU figure (an agent from before CPU requests): CPU does not limit the node, as before. */
  private static CpuAmount allocatableCpu(String quantity) {
    return quantity == null ? UNBOUNDED_CPU : CpuAmount.parse(quantity);
  }

  private static final CpuAmount UNBOUNDED_CPU = new CpuAmount(Long.MAX_VALUE / 4);

  private static CpuAmount cpu(String quantity) {
    return quantity == null ? CpuAmount.ZERO : CpuAmount.parse(quantity);
  }

  static GuestRequest request(Unikernel guest) {
    return request(guest, List.of(), g -> Optional.empty());
  }

  /** The guest's request; a topology spread counts the group's members per node among {@code others}. */
  static GuestRequest request(Unikernel guest, List<Unikernel> others,
      Function<Unikernel, Optional<String>> assumedNode) {
    ResolvedGuestSpec spec = guest.getSpec().resolved();
    var tolerations = guest.getSpec().getTolerations() == null ? List.<Toleration>of()
        : List.copyOf(guest.getSpec().getTolerations());
    Optional<GuestRequest.Spread> spread = Optional.ofNullable(guest.getSpec().getTopologySpread())
        .map(topology -> new GuestRequest.Spread(topology.getMaxSkew() == null ? 1 : topology.getMaxSkew(),
            membersPerNode(guest, topology.getMatchLabels(), others, assumedNode)));
    return new GuestRequest(Resources.ofGuest(spec.memory(), spec.cpuRequest()), spec.vcpus(), spec.nodeSelector(),
        Optional.ofNullable(guest.getSpec().getNodeName()), tolerations, spread);
  }

  private static Map<String, Integer> membersPerNode(Unikernel guest, Map<String, String> matchLabels,
      List<Unikernel> others, Function<Unikernel, Optional<String>> assumedNode) {
    Map<String, Integer> members = new HashMap<>();
    for (Unikernel other : others) {
      Map<String, String> labels = other.getMetadata().getLabels();
      boolean sameGroup = guest.getMetadata().getNamespace().equals(other.getMetadata().getNamespace())
          && labels != null && labels.entrySet().containsAll(matchLabels.entrySet());
      if (sameGroup && !Binding.isTerminal(other) && other.getMetadata().getDeletionTimestamp() == null) {
        Binding.boundNode(other).or(() -> assumedNode.apply(other)).ifPresent(node -> members.merge(node, 1, Integer::sum));
      }
    }
    return members;
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
