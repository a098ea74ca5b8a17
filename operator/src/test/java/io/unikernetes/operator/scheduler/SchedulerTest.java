package io.unikernetes.operator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.api.v1alpha1.spec.CpuAmount;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import io.unikernetes.api.v1alpha1.spec.Taint;
import io.unikernetes.api.v1alpha1.spec.Toleration;
import io.unikernetes.api.v1alpha1.status.Reason;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchedulerTest {

  private final Scheduler scheduler = new Scheduler();

  private static NodeCandidate node(String name, String memory, Map<String, String> labels) {
    return new NodeCandidate(name, labels, true, false, new Resources(MemorySize.parse(memory), CpuAmount.ofCores(8), 10));
  }

  private static GuestRequest guest(String memory) {
    return new GuestRequest(Resources.ofGuest(MemorySize.parse(memory), new CpuAmount(1)), Map.of(), Optional.empty());
  }

  private static Resources used(String memory, int guests) {
    return new Resources(MemorySize.parse(memory), new CpuAmount(guests), guests);
  }

  @Test
  void packsOntoTheFullestNodeThatFits() {
    var nodes = List.of(node("a", "1Gi", Map.of()), node("b", "1Gi", Map.of()), node("c", "1Gi", Map.of()));
    var decision = scheduler.schedule(guest("256Mi"), nodes, Map.of("b", used("512Mi", 2), "c", used("128Mi", 1)));
    assertThat(decision).isEqualTo(new SchedulingDecision.Bind("b", "bound to XenNode b (3/3 nodes fit, dense)"));
  }

  @Test
  void skipsNodesWithoutRoomAndSaysWhy() {
    var nodes = List.of(node("a", "1Gi", Map.of()), node("b", "1Gi", Map.of()));
    var decision = scheduler.schedule(guest("512Mi"), nodes, Map.of("a", used("768Mi", 3), "b", used("1Gi", 1)));
    assertThat(decision).isInstanceOf(SchedulingDecision.Unschedulable.class);
    assertThat(((SchedulingDecision.Unschedulable) decision).reason()).isEqualTo(Reason.Unschedulable);
    assertThat(decision.message()).isEqualTo("0/2 XenNodes can take the guest: "
        + "a: insufficient memory (requested 512Mi, free 256Mi); b: insufficient memory (requested 512Mi, free 0Mi)");
  }

  @Test
  void honoursNodeSelectorReadinessCordonAndGuestSlots() {
    var notReady = new NodeCandidate("a", Map.of(), false, false, new Resources(MemorySize.parse("1Gi"), CpuAmount.ofCores(8), 10));
    var cordoned = new NodeCandidate("b", Map.of(), true, true, new Resources(MemorySize.parse("1Gi"), CpuAmount.ofCores(8), 10));
    var full = new NodeCandidate("c", Map.of("zone", "eu"), true, false, new Resources(MemorySize.parse("1Gi"), CpuAmount.ofCores(8), 1));
    var otherZone = node("d", "1Gi", Map.of("zone", "us"));
    var request = new GuestRequest(Resources.ofGuest(MemorySize.parse("32Mi"), new CpuAmount(1)), Map.of("zone", "eu"),
        Optional.empty());
    var decision = scheduler.schedule(request, List.of(notReady, cordoned, full, otherZone), Map.of("c", used("32Mi", 1)));
    assertThat(decision.message()).isEqualTo("0/4 XenNodes can take the guest: a: not Ready; "
        + "b: unschedulable (cordoned); c: too many guests (max 1); d: nodeSelector zone=eu not matched");
  }

  @Test
  void checksVcpusAgainstHostCpusAndCpuRequestsAgainstAllocatable() {
    var small = new NodeCandidate("a", Map.of(), true, false, List.of(),
        new Resources(MemorySize.parse("1Gi"), CpuAmount.parse("1500m"), 10), 2, Overhead.NONE);
    var fourVcpus = new GuestRequest(Resources.ofGuest(MemorySize.parse("32Mi"), new CpuAmount(1)), 4, Map.of(),
        Optional.empty(), List.of(), Optional.empty());
    assertThat(scheduler.schedule(fourVcpus, List.of(small), Map.of()).message())
        .contains("a: the guest's 4 vCPUs exceed the host's 2 CPUs");
    var halfCore = new GuestRequest(Resources.ofGuest(MemorySize.parse("32Mi"), CpuAmount.parse("0.5")), Map.of(),
        Optional.empty());
    assertThat(scheduler.schedule(halfCore, List.of(small), Map.of("a", new Resources(MemorySize.parse("64Mi"),
        CpuAmount.parse("1"), 2)))).isInstanceOf(SchedulingDecision.Bind.class);
    assertThat(scheduler.schedule(halfCore, List.of(small), Map.of("a", new Resources(MemorySize.parse("64Mi"),
        CpuAmount.parse("1001m"), 2))).message()).contains("a: insufficient cpu (requested 500m, free 499m)");
  }

  @Test
  void chargesTheNodesOverheadForEveryGuest() {
    // 1Gi allocatable, 24Mi per guest on top of its 8Mi: 32 guests fit by memory, not 128.
    var qemu = new NodeCandidate("q", Map.of(), true, false, List.of(),
        new Resources(MemorySize.parse("1Gi"), CpuAmount.ofCores(2), 1000), 2,
        new Overhead(MemorySize.parse("24Mi"), new CpuAmount(1)));
    var tiny = new GuestRequest(Resources.ofGuest(MemorySize.parse("8Mi"), new CpuAmount(1)), Map.of(), Optional.empty());
    var thirtyOne = new Resources(MemorySize.parse("248Mi"), new CpuAmount(31), 31);
    assertThat(scheduler.schedule(tiny, List.of(qemu), Map.of("q", thirtyOne)))
        .isInstanceOf(SchedulingDecision.Bind.class);
    var thirtyTwo = new Resources(MemorySize.parse("256Mi"), new CpuAmount(32), 32);
    assertThat(scheduler.schedule(tiny, List.of(qemu), Map.of("q", thirtyTwo)).message())
        .contains("q: insufficient memory (requested 32Mi with the node's per-guest overhead, free 0Mi)");
  }

  @Test
  void aPinnedGuestOnlyNeedsRoomOnItsNode() {
    var nodes = List.of(node("a", "1Gi", Map.of()),
        new NodeCandidate("b", Map.of(), false, true, new Resources(MemorySize.parse("1Gi"), CpuAmount.ofCores(8), 10)));
    var pinned = new GuestRequest(Resources.ofGuest(MemorySize.parse("64Mi"), new CpuAmount(1)), Map.of("zone", "x"), Optional.of("b"));
    assertThat(scheduler.schedule(pinned, nodes, Map.of()))
        .isEqualTo(new SchedulingDecision.Bind("b", "bound to pinned XenNode b"));
    var tooBig = new GuestRequest(Resources.ofGuest(MemorySize.parse("2Gi"), new CpuAmount(1)), Map.of(), Optional.of("b"));
    assertThat(scheduler.schedule(tooBig, nodes, Map.of()).message())
        .isEqualTo("pinned XenNode b cannot take the guest: insufficient memory (requested 2048Mi, free 1024Mi)");
    var missing = new GuestRequest(Resources.ofGuest(MemorySize.parse("64Mi"), new CpuAmount(1)), Map.of(), Optional.of("zz"));
    assertThat(scheduler.schedule(missing, nodes, Map.of()))
        .isEqualTo(new SchedulingDecision.Unschedulable(Reason.NodeNotFound,
            "spec.nodeName pins the guest to XenNode zz, which does not exist"));
  }

  @Test
  void noNodesAtAll() {
    assertThat(scheduler.schedule(guest("32Mi"), List.of(), Map.of()).message())
        .isEqualTo("0/0 XenNodes can take the guest: no XenNodes are registered");
  }

  @Test
  void taintsKeepGuestsAwayUnlessTolerated() {
    var tainted = new NodeCandidate("gpu", Map.of(), true, false, List.of(new Taint("dedicated", "db")),
        new Resources(MemorySize.parse("1Gi"), CpuAmount.ofCores(8), 10));
    assertThat(scheduler.schedule(guest("32Mi"), List.of(tainted), Map.of()).message())
        .contains("gpu: taint dedicated=db not tolerated");
    var tolerant = new GuestRequest(Resources.ofGuest(MemorySize.parse("32Mi"), new CpuAmount(1)), Map.of(), Optional.empty(),
        List.of(new Toleration("dedicated", Toleration.Operator.Equal, "db")), Optional.empty());
    assertThat(scheduler.schedule(tolerant, List.of(tainted), Map.of())).isInstanceOf(SchedulingDecision.Bind.class);
    var everything = new GuestRequest(Resources.ofGuest(MemorySize.parse("32Mi"), new CpuAmount(1)), Map.of(), Optional.empty(),
        List.of(new Toleration(null, Toleration.Operator.Exists, null)), Optional.empty());
    assertThat(scheduler.schedule(everything, List.of(tainted), Map.of())).isInstanceOf(SchedulingDecision.Bind.class);
  }

  @Test
  void theSpreadPolicyPicksTheEmptiestNode() {
    var nodes = List.of(node("a", "1Gi", Map.of()), node("b", "1Gi", Map.of()));
    var usage = Map.of("a", used("512Mi", 2), "b", used("128Mi", 1));
    assertThat(((SchedulingDecision.Bind) new Scheduler(SchedulingPolicy.spread).schedule(guest("64Mi"), nodes, usage))
        .node()).isEqualTo("b");
    assertThat(((SchedulingDecision.Bind) scheduler.schedule(guest("64Mi"), nodes, usage)).node()).isEqualTo("a");
  }

  @Test
  void aTopologySpreadOverridesDensePacking() {
    var nodes = List.of(node("a", "1Gi", Map.of()), node("b", "1Gi", Map.of()), node("c", "1Gi", Map.of()));
    var usage = Map.of("a", used("512Mi", 2));
    var spread = new GuestRequest(Resources.ofGuest(MemorySize.parse("32Mi"), new CpuAmount(1)), Map.of(), Optional.empty(),
        List.of(), Optional.of(new GuestRequest.Spread(1, Map.of("a", 1))));
    var decision = scheduler.schedule(spread, nodes, usage);
    assertThat(((SchedulingDecision.Bind) decision).node()).isEqualTo("b"); // a would make the skew 2
    var full = new GuestRequest(Resources.ofGuest(MemorySize.parse("32Mi"), new CpuAmount(1)), Map.of(), Optional.empty(),
        List.of(), Optional.of(new GuestRequest.Spread(1, Map.of("a", 1, "b", 1, "c", 0))));
    assertThat(((SchedulingDecision.Bind) scheduler.schedule(full, nodes, usage)).node()).isEqualTo("c");
  }
}
