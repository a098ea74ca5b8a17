package io.unikernetes.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl get} reads as it does for Pods, Deployments and Nodes: NAME, then status, placement and
 * restarts, AGE last; more under -o wide, after AGE. Checked on the CRDs users install.
 */
class PrinterColumnsTest {

  private static List<CustomResourceColumnDefinition> columns(Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> kind)
      throws IOException {
    String yaml = Files.readString(Path.of("manifests").resolve(PrinterColumnOrder.file(kind)));
    return new KubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class).getSpec().getVersions()
        .get(0).getAdditionalPrinterColumns();
  }

  private static List<String> shown(List<CustomResourceColumnDefinition> columns, boolean wide) {
    return columns.stream().filter(c -> wide || c.getPriority() == null || c.getPriority() == 0)
        .map(CustomResourceColumnDefinition::getName).toList();
  }

  @Test
  void unikernelsListPhaseNodeIpRestartsAndAgeLast() throws IOException {
    var columns = columns(Unikernel.class);
    assertThat(shown(columns, false)).containsExactly("Phase", "Node", "IP", "Restarts", "Age");
    assertThat(shown(columns, true)).containsExactly("Phase", "Node", "IP", "Restarts", "Age", "Memory", "Boot",
        "Format", "Domain");
  }

  @Test
  void deploymentsReadLikeDeployments() throws IOException {
    assertThat(shown(columns(UnikernelDeployment.class), false))
        .containsExactly("Ready", "Desired", "Up-to-date", "Available", "Age");
  }

  @Test
  void xenNodesShowReadinessGuestsAndRequestsAgainstAllocatable() throws IOException {
    var columns = columns(XenNode.class);
    assertThat(shown(columns, false)).containsExactly("Ready", "Hypervisor", "Guests", "Memory", "Mem-Requested",
        "CPU", "CPU-Requested", "Age");
    assertThat(shown(columns, true)).endsWith("Age", "URI", "Subnet");
  }
}
