package io.unikernetes.agent.registration;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.agent.config.AgentConfig;
import io.unikernetes.agent.hypervisor.HostInfo;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import io.unikernetes.api.v1alpha1.status.NodeResources;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeCapacityTest {

  private static AgentConfig config(String... flags) {
    String[] args = new String[flags.length + 1];
    args[0] = "--node-name=n";
    System.arraycopy(flags, 0, args, 1, flags.length);
    return AgentConfig.from(args, Map.of());
  }

  private static HostInfo host(String type, String memory, int cpus, String dom0) {
    return new HostInfo(type, "1.0.0", MemorySize.parse(memory), cpus, "x:///", MemorySize.parse(dom0), false);
  }

  @Test
  void onXenAllocatableMemoryIsNetOfDom0AndTheReservation() {
    NodeCapacity node = NodeCapacity.of(host("Xen", "3584Mi", 2, "2048Mi"), config("--reserved-memory=64Mi"));
    assertThat(node.capacity()).isEqualTo(new NodeResources("3584Mi", "2", 1472 / 8));
    assertThat(node.allocatable()).isEqualTo(new NodeResources("1472Mi", "1900m", 1472 / 8));
    assertThat(node.guestOverhead().getMemory()).isEqualTo("4Mi");
  }

  @Test
  void aQemuHostOfTwoCoresTakesHundredsOfSmallGuests() {
    // This project's test machine: 2 cores, 24 GiB. 8Mi guests cost 40Mi each with QEMU's process.
    NodeCapacity node = NodeCapacity.of(host("QEMU", "24Gi", 2, "0"), config());
    MemorySize allocatable = MemorySize.parse(node.allocatable().getMemory());
    assertThat(allocatable).isEqualTo(MemorySize.parse("24064Mi"));
    assertThat(allocatable.bytes() / MemorySize.parse("40Mi").bytes()).isEqualTo(601);
    assertThat(node.allocatable().getMaxGuests()).isEqualTo(24064 / 36);
    assertThat(node.guestOverhead().getMemory()).isEqualTo("32Mi");
    assertThat(node.guestOverhead().getCpu()).isEqualTo("0");
  }

  @Test
  void givenFiguresWinAndTheTestDriverHasNoOverhead() {
    assertThat(NodeCapacity.of(host("TEST", "3Gi", 16, "0"), config()).guestOverhead().getMemory()).isEqualTo("0Mi");
    NodeCapacity fixed = NodeCapacity.of(host("QEMU", "8Gi", 4, "0"),
        config("--max-guests=10", "--guest-overhead-memory=16Mi", "--reserved-cpu=1"));
    assertThat(fixed.allocatable()).isEqualTo(new NodeResources("7680Mi", "3", 10));
    assertThat(fixed.guestOverhead().getMemory()).isEqualTo("16Mi");
  }

  @Test
  void reservedCpusTakeTheirCoresFromAllocatableInsteadOfTheReservedQuantity() {
    NodeCapacity node = NodeCapacity.of(host("QEMU", "8Gi", 4, "0"), config("--reserved-cpus=0,2",
        "--reserved-cpu=500m"));
    assertThat(node.capacity().getCpu()).isEqualTo("4");
    assertThat(node.allocatable().getCpu()).isEqualTo("2");
  }

  @Test
  void anAutomaticLimitStaysWithinWhatTheShippedHeapHolds() {
    NodeCapacity big = NodeCapacity.of(host("Xen", "64Gi", 32, "4Gi"), config());
    assertThat(big.allocatable().getMaxGuests()).isEqualTo(NodeCapacity.AUTO_MOST_GUESTS);
    assertThat(NodeCapacity.of(host("Xen", "64Gi", 32, "4Gi"), config("--max-guests=5000")).allocatable()
        .getMaxGuests()).isEqualTo(5000);
  }

  @Test
  void aBalloningDom0CountsOnlyTheReservation() {
    HostInfo ballooning = new HostInfo("Xen", "4.17.0", MemorySize.parse("8Gi"), 4, "xen:///system", MemorySize.ZERO,
        true);
    assertThat(NodeCapacity.of(ballooning, config("--reserved-memory=1Gi")).allocatable().getMemory())
        .isEqualTo("7168Mi");
  }

  @Test
  void aHostSmallerThanItsReservationOffersNothing() {
    NodeCapacity node = NodeCapacity.of(host("Xen", "2Gi", 1, "2000Mi"), config());
    assertThat(node.allocatable().getMemory()).isEqualTo("0Mi");
    assertThat(node.allocatable().getMaxGuests()).isZero();
  }
}
