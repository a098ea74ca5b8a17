package io.unikernetes.agent.registration;

import io.unikernetes.api.v1alpha1.Binding;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.spec.CpuAmount;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import io.unikernetes.api.v1alpha1.status.AllocatedResources;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the guests bound to a node request, each charged the node's overhead: the sum the operator's scheduler
 * keeps for the node, counted the same way ({@link Binding#holdingNode}). Each guest's
 * request is parsed once: memory and requests cannot change on a Unikernel, and parsing quantities for a
 * thousand guests on every refresh was most of an idle agent's allocation (issue 12).
 */
public final class NodeAllocation {

  private record Request(MemorySize memory, CpuAmount cpu) {
  }

  private Map<String, Request> byUid = new HashMap<>();

  /** The sum over {@code guests}; not thread-safe (one refresh at a time). */
  public AllocatedResources of(Stream<Unikernel> guests, NodeCapacity node) {
    Map<String, Request> seen = new HashMap<>();
    MemorySize memory = MemorySize.ZERO;
    CpuAmount cpu = CpuAmount.ZERO;
    int count = 0;
    for (Unikernel guest : (Iterable<Unikernel>) guests.filter(g -> Binding.holdingNode(g).isPresent())::iterator) {
      String uid = guest.getMetadata().getUid();
      Request request = byUid.get(uid);
      if (request == null) {
        var spec = guest.getSpec().resolved();
        request = new Request(spec.memory(), spec.cpuRequest());
      }
      seen.put(uid, request);
      memory = memory.plus(request.memory()).plus(node.overheadMemory());
      cpu = cpu.plus(request.cpu()).plus(node.overheadCpu());
      count++;
    }
    byUid = seen;
    return new AllocatedResources(cpu.toQuantity(), memory.toQuantity(), count);
  }
}
