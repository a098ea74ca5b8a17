package io.unikernetes.operator.binding;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.Taint;
import io.unikernetes.api.v1alpha1.spec.XenNodeSpec;
import io.unikernetes.api.v1alpha1.status.ConditionStatus;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.api.v1alpha1.status.XenNodeStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSnapshotTest {

  private static XenNode node(ConditionStatus diskPressure) {
    XenNode node = new XenNode();
    node.getMetadata().setName("xen-01");
    node.setSpec(new XenNodeSpec());
    node.getSpec().setTaints(List.of(new Taint("dedicated", "db")));
    XenNodeStatus status = new XenNodeStatus();
    status.setConditions(Conditions.with(List.of(), ConditionType.DiskPressure, diskPressure,
        diskPressure == ConditionStatus.True ? Reason.DiskPressure : Reason.NoDiskPressure, "", null, Instant.EPOCH));
    node.setStatus(status);
    return node;
  }

  @Test
  void aNodeUnderDiskPressureCarriesKubernetesDiskPressureTaint() {
    assertThat(ClusterSnapshot.candidate(node(ConditionStatus.True)).taints())
        .containsExactly(new Taint("dedicated", "db"), new Taint("node.kubernetes.io/disk-pressure", null));
    assertThat(ClusterSnapshot.candidate(node(ConditionStatus.False)).taints())
        .containsExactly(new Taint("dedicated", "db"));
  }
}
