package io.unikernetes.agent.registration;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.spec.CpuAmount;
import io.unikernetes.api.v1alpha1.spec.GuestResources;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import io.unikernetes.api.v1alpha1.spec.ResourceRequests;
import io.unikernetes.api.v1alpha1.spec.UnikernelSpec;
import io.unikernetes.api.v1alpha1.status.AllocatedResources;
import io.unikernetes.api.v1alpha1.status.ConditionStatus;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.NodeResources;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.api.v1alpha1.status.UnikernelStatus;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class NodeAllocationTest {

  private static final NodeCapacity NODE = new NodeCapacity(new NodeResources("1Gi", "2", 10),
      new NodeResources("1Gi", "2", 10), MemorySize.parse("4Mi"), new CpuAmount(2));

  private static Unikernel guest(String memory, String cpu, boolean scheduled, UnikernelPhase phase) {
    Unikernel guest = new Unikernel();
    UnikernelSpec spec = new UnikernelSpec();
    spec.setNodeName("n");
    spec.setMemory(memory);
    if (cpu != null) {
      spec.setResources(new GuestResources(new ResourceRequests(new Quantity(cpu))));
    }
    guest.setSpec(spec);
    UnikernelStatus status = new UnikernelStatus();
    status.setPhase(phase);
    status.setConditions(Conditions.with(null, ConditionType.Scheduled, ConditionStatus.of(scheduled),
        Reason.Bound, "", null, Instant.EPOCH));
    guest.setStatus(status);
    return guest;
  }

  @Test
  void sumsBoundUnfinishedGuestsEachChargedTheOverhead() {
    var guests = Stream.of(guest("32Mi", "250m", true, UnikernelPhase.Running),
        guest("8Mi", null, true, UnikernelPhase.Booting),
        guest("64Mi", "1", true, UnikernelPhase.Succeeded),
        guest("64Mi", "1", false, UnikernelPhase.Pending));
    assertThat(new NodeAllocation().of(guests, NODE)).isEqualTo(new AllocatedResources("255m", "48Mi", 2));
  }
}
