package io.unikernetes.operator.binding;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.status.NodeResources;
import io.unikernetes.api.v1alpha1.status.XenNodeStatus;
import io.unikernetes.operator.scheduler.NodeCandidate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class NodeCandidatesTest {

  private final NodeCandidates candidates = new NodeCandidates();

  private static XenNode node(String name, String version, String memory) {
    XenNode node = new XenNode();
    node.getMetadata().setName(name);
    node.getMetadata().setResourceVersion(version);
    XenNodeStatus status = new XenNodeStatus();
    status.setAllocatable(new NodeResources(memory, "2", 100));
    node.setStatus(status);
    return node;
  }

  @Test
  void aNodesViewIsMadeOncePerResourceVersion() {
    List<NodeCandidate> first = candidates.of(Stream.of(node("a", "1", "1Gi"), node("b", "1", "1Gi")));
    List<NodeCandidate> again = candidates.of(Stream.of(node("a", "1", "1Gi"), node("b", "1", "1Gi")));
    assertThat(again.get(0)).isSameAs(first.get(0));

    List<NodeCandidate> changed = candidates.of(Stream.of(node("a", "2", "2Gi"), node("b", "1", "1Gi")));
    assertThat(changed.get(0)).isNotSameAs(first.get(0));
    assertThat(changed.get(0).allocatable().memory().bytes()).isEqualTo(2L << 30);
    assertThat(changed.get(1)).isSameAs(first.get(1));
  }

  @Test
  void deletedAndDeletingNodesAreLeftOut() {
    candidates.of(Stream.of(node("a", "1", "1Gi"), node("b", "1", "1Gi")));
    XenNode deleting = node("b", "2", "1Gi");
    deleting.getMetadata().setDeletionTimestamp("2026-12-06T10:00:00Z");
    assertThat(candidates.of(Stream.of(node("a", "1", "1Gi"), deleting))).extracting(NodeCandidate::name)
        .containsExactly("a");
    assertThat(candidates.of(Stream.of(node("c", "1", "1Gi")))).extracting(NodeCandidate::name)
        .containsExactly("c");
  }
}
