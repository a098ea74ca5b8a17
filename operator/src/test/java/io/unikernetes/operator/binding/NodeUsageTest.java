package io.unikernetes.operator.binding;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.spec.GuestSpec;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.spec.CpuAmount;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import io.unikernetes.api.v1alpha1.spec.UnikernelSpec;
import io.unikernetes.api.v1alpha1.status.ConditionStatus;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.api.v1alpha1.status.UnikernelStatus;
import io.unikernetes.operator.scheduler.Resources;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeUsageTest {

  private final NodeUsage usage = new NodeUsage();

  private static Unikernel guest(String name, String memory, String node, boolean confirmed, UnikernelPhase phase) {
    GuestSpec spec = new GuestSpec();
    spec.setImage(new ImageSource("https://images.example.org/a.elf", "ab".repeat(32)));
    spec.setMemory(memory);
    Unikernel guest = new Unikernel();
    guest.getMetadata().setNamespace("shop");
    guest.getMetadata().setName(name);
    guest.getMetadata().setUid("uid-" + name);
    guest.getMetadata().setResourceVersion("1");
    guest.setSpec(UnikernelSpec.of(spec));
    guest.getSpec().setNodeName(node);
    UnikernelStatus status = new UnikernelStatus();
    status.setPhase(phase);
    if (confirmed) {
      status.setConditions(Conditions.with(null, ConditionType.Scheduled, ConditionStatus.True, Reason.Bound, "bound",
          1L, Instant.EPOCH));
    }
    guest.setStatus(status);
    return guest;
  }

  private void put(Unikernel guest) {
    usage.put(usage.getKey(guest), guest);
  }

  private static Resources of(String memory, int guests) {
    return new Resources(MemorySize.parse(memory), new CpuAmount(guests), guests);
  }

  @Test
  void countsConfirmedBindingsPerNodeAndFollowsEveryChange() {
    put(guest("a", "64Mi", "xen-1", true, UnikernelPhase.Running));
    put(guest("b", "32Mi", "xen-1", true, UnikernelPhase.Scheduled));
    put(guest("c", "32Mi", "xen-2", false, UnikernelPhase.Pending)); // nodeName set, not confirmed yet
    assertThat(usage.snapshot()).isEqualTo(Map.of("xen-1", of("96Mi", 2)));
    assertThat(usage.counts("uid-a")).isTrue();
    assertThat(usage.counts("uid-c")).isFalse();

    put(guest("c", "32Mi", "xen-2", true, UnikernelPhase.Scheduled)); // confirmed: counted
    put(guest("a", "64Mi", "xen-1", true, UnikernelPhase.Succeeded)); // finished: frees its share
    assertThat(usage.snapshot()).isEqualTo(Map.of("xen-1", of("32Mi", 1), "xen-2", of("32Mi", 1)));
    assertThat(usage.counts("uid-a")).isFalse();

    assertThat(usage.remove("shop/b").getMetadata().getName()).isEqualTo("b");
    assertThat(usage.snapshot()).isEqualTo(Map.of("xen-2", of("32Mi", 1)));
    assertThat(usage.size()).isEqualTo(2);
  }

  @Test
  void isTheControllersCacheOfWholeObjects() {
    Unikernel a = guest("a", "64Mi", "xen-1", true, UnikernelPhase.Running);
    put(a);
    assertThat(usage.get("shop/a")).isSameAs(a);
    assertThat(usage.values()).containsExactly(a);
    assertThat(usage.isFullState()).isTrue();
  }

  @Test
  void inFlightBindingsCountOnceWhetherOrNotTheirEventArrived() {
    put(guest("a", "64Mi", "xen-1", true, UnikernelPhase.Scheduled));
    Map<String, Binder.Assumed> inFlight = Map.of(
        "uid-a", new Binder.Assumed("xen-1", of("64Mi", 1), null), // seen here already: not added again
        "uid-b", new Binder.Assumed("xen-1", of("32Mi", 1), null),
        "uid-c", new Binder.Assumed("xen-2", of("32Mi", 1), null));
    assertThat(usage.snapshotWith(inFlight)).isEqualTo(Map.of("xen-1", of("96Mi", 2), "xen-2", of("32Mi", 1)));
  }

  @Test
  void onlyAGuestThatStopsCountingOnItsNodeWakesPendingOnes() {
    java.util.concurrent.atomic.AtomicInteger wakes = new java.util.concurrent.atomic.AtomicInteger();
    usage.onCapacityFreed(wakes::incrementAndGet);
    put(guest("a", "64Mi", "xen-1", false, UnikernelPhase.Scheduled));
    put(guest("a", "64Mi", "xen-1", true, UnikernelPhase.Running)); // confirmed: counted now
    put(guest("a", "64Mi", "xen-1", true, UnikernelPhase.Running)); // a status write: still counted
    assertThat(wakes).hasValue(0);
    put(guest("a", "64Mi", "xen-1", true, UnikernelPhase.Failed)); // finished: frees its share
    assertThat(wakes).hasValue(1);
    usage.remove("shop/a"); // counted for nothing any more: no second wake
    assertThat(wakes).hasValue(1);

    put(guest("b", "32Mi", "xen-1", true, UnikernelPhase.Running));
    usage.remove("shop/b"); // deleted while counted
    assertThat(wakes).hasValue(2);
    put(guest("u", "64Mi", null, false, UnikernelPhase.Pending));
    usage.remove("shop/u"); // never bound
    assertThat(wakes).hasValue(2);
  }
}
