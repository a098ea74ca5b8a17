package io.unikernetes.agent.registration;

import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.spec.CpuAmount;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import io.unikernetes.api.v1alpha1.status.AllocatedResources;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import java.util.stream.Stream;

/**
 * What the guests bound to a node request, each charged the node's overhead: the sum the operator's scheduler
 * keeps for the node, counted the same way (bound once Scheduled=True, until finished or gone). Pure.
 */
public final class NodeAllocation {

  private NodeAllocation() {
  }

  public static AllocatedResources of(Stream<Unikernel> guests, NodeCapacity node) {
    MemorySize memory = MemorySize.ZERO;
    CpuAmount cpu = CpuAmount.ZERO;
    int count = 0;
    for (Unikernel guest : (Iterable<Unikernel>) guests.filter(NodeAllocation::counts)::iterator) {
      var spec = guest.getSpec().resolved();
      memory = memory.plus(spec.memory()).plus(node.overheadMemory());
      cpu = cpu.plus(spec.cpuRequest()).plus(node.overheadCpu());
      count++;
    }
    return new AllocatedResources(cpu.toQuantity(), memory.toQuantity(), count);
  }

  private static boolean counts(Unikernel guest) {
    var status = guest.getStatus();
    return guest.getSpec() != null && guest.getSpec().getNodeName() != null && status != null
        && Conditions.isTrue(status.getConditions(), ConditionType.Scheduled)
        && (status.getPhase() == null || !status.getPhase().isTerminal());
  }
}
