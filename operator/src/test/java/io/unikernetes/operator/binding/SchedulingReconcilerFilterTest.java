package io.unikernetes.operator.binding;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.status.AllocatedResources;
import io.unikernetes.api.v1alpha1.status.NodeResources;
import io.unikernetes.api.v1alpha1.status.XenNodeStatus;
import org.junit.jupiter.api.Test;

class SchedulingReconcilerFilterTest {

  private static XenNode node(String allocatable, int guests) {
    XenNode node = new XenNode();
    node.getMetadata().setName("n");
    XenNodeStatus status = new XenNodeStatus();
    status.setAllocatable(new NodeResources(allocatable, "2", 100));
    status.setAllocated(new AllocatedResources("1m", "32Mi", guests));
    node.setStatus(status);
    return node;
  }

  @Test
  void theAgentsAllocatedSumsWakeNoPendingGuest() {
    assertThat(SchedulingReconciler.mayChangePlacement(node("1Gi", 1), node("1Gi", 2))).isFalse();
    assertThat(SchedulingReconciler.mayChangePlacement(node("1Gi", 1), node("2Gi", 1))).isTrue();
    XenNode cordoned = node("1Gi", 1);
    cordoned.getSpec().setUnschedulable(true);
    assertThat(SchedulingReconciler.mayChangePlacement(node("1Gi", 1), cordoned)).isTrue();
  }

  @Test
  void aSubnetGivenToTheNodeWakesNoPendingGuestButATaintDoes() {
    XenNode withSubnet = node("1Gi", 1);
    withSubnet.getSpec().setGuestSubnet("10.240.3.0/24");
    assertThat(SchedulingReconciler.mayChangePlacement(node("1Gi", 1), withSubnet)).isFalse();
    XenNode tainted = node("1Gi", 1);
    tainted.getSpec().setTaints(java.util.List.of(new io.unikernetes.api.v1alpha1.spec.Taint("dedicated", "db")));
    assertThat(SchedulingReconciler.mayChangePlacement(node("1Gi", 1), tainted)).isTrue();
    XenNode draining = node("1Gi", 1);
    draining.getSpec().setDrain(true);
    assertThat(SchedulingReconciler.mayChangePlacement(node("1Gi", 1), draining)).isTrue();
  }

  @Test
  void everyXenNodeSpecFieldIsEitherComparedOrKnownNotToMatter() {
    // placementFields lists the fields placement reads; a field added to XenNodeSpec must be placed on one side.
    assertThat(java.util.Arrays.stream(io.unikernetes.api.v1alpha1.spec.XenNodeSpec.class.getDeclaredFields())
        .filter(f -> !java.lang.reflect.Modifier.isStatic(f.getModifiers())).map(java.lang.reflect.Field::getName))
        .containsExactlyInAnyOrder("unschedulable", "taints", "drain", "guestSubnet");
  }
}
