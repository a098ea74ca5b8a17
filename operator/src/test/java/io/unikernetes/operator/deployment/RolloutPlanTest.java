package io.unikernetes.operator.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.api.v1alpha1.spec.RolloutStrategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutPlanTest {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  private static final RolloutPlan.Bounds ONE_ONE = new RolloutPlan.Bounds(1, 1);

  private static GuestView guest(String name, boolean current, boolean available, int age) {
    return new GuestView(name, current, available, false, false, T0.plusSeconds(-age));
  }

  private static List<GuestView> old(int count) {
    List<GuestView> guests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      guests.add(guest("old-" + i, false, true, 100 + i));
    }
    return guests;
  }

  @Test
  void scalesUpFromNothingAndDownToFewer() {
    assertThat(RolloutPlan.plan(5, RolloutStrategy.Type.RollingUpdate, ONE_ONE, List.of(), 10))
        .isEqualTo(new RolloutPlan(5, List.of()));
    List<GuestView> five = List.of(guest("a", true, true, 5), guest("b", true, true, 4), guest("c", true, false, 3),
        guest("d", true, true, 2), guest("e", true, true, 1));
    RolloutPlan down = RolloutPlan.plan(2, RolloutStrategy.Type.RollingUpdate, ONE_ONE, five, 10);
    assertThat(down.create()).isZero();
    assertThat(down.delete()).containsExactly("c", "e", "d");
  }

  @Test
  void aRollingUpdateStartsWithinTheSurgeAndKeepsAvailability() {
    RolloutPlan first = RolloutPlan.plan(4, RolloutStrategy.Type.RollingUpdate, ONE_ONE, old(4), 10);
    assertThat(first.create()).isEqualTo(1); // 4 + surge 1
    assertThat(first.delete()).containsExactly("old-3"); // availability may drop to 3: the oldest goes
  }

  @Test
  void newGuestsThatAreNotAvailableYetHoldTheRolloutBack() {
    List<GuestView> guests = new ArrayList<>(old(3));
    guests.add(guest("new-0", true, false, 1));
    guests.add(guest("new-1", true, false, 1));
    RolloutPlan plan = RolloutPlan.plan(4, RolloutStrategy.Type.RollingUpdate, ONE_ONE, guests, 10);
    assertThat(plan.create()).isZero(); // 5 guests = replicas + surge
    assertThat(plan.delete()).isEmpty(); // only 3 available = replicas - maxUnavailable
  }

  @Test
  void aBrokenRevisionNeverChurnsAndNeverTakesTheOldGuestsDown() {
    List<GuestView> guests = new ArrayList<>(old(3));
    guests.add(new GuestView("broken-0", true, false, true, true, T0));
    guests.add(new GuestView("broken-1", true, false, true, true, T0));
    RolloutPlan plan = RolloutPlan.plan(4, RolloutStrategy.Type.RollingUpdate, ONE_ONE, guests, 10);
    assertThat(plan).isEqualTo(new RolloutPlan(0, List.of()));
  }

  @Test
  void guestsThatFailedAfterRunningAreReplacedAndHistoryIsBounded() {
    List<GuestView> guests = new ArrayList<>();
    guests.add(guest("live", true, true, 10));
    for (int i = 0; i < 3; i++) {
      guests.add(new GuestView("crashed-" + i, true, false, false, true, T0.plusSeconds(-i)));
    }
    RolloutPlan plan = RolloutPlan.plan(2, RolloutStrategy.Type.RollingUpdate, ONE_ONE, guests, 1);
    assertThat(plan.create()).isEqualTo(1);
    assertThat(plan.delete()).containsExactly("crashed-1", "crashed-2");
  }

  @Test
  void recreateRemovesEveryOldGuestBeforeStartingNewOnes() {
    RolloutPlan first = RolloutPlan.plan(3, RolloutStrategy.Type.Recreate, ONE_ONE, old(3), 10);
    assertThat(first).isEqualTo(new RolloutPlan(0, List.of("old-0", "old-1", "old-2")));
    assertThat(RolloutPlan.plan(3, RolloutStrategy.Type.Recreate, ONE_ONE, List.of(), 10))
        .isEqualTo(new RolloutPlan(3, List.of()));
  }

  @Test
  void zeroReplicasRemovesEverything() {
    RolloutPlan plan = RolloutPlan.plan(0, RolloutStrategy.Type.RollingUpdate, ONE_ONE,
        List.of(guest("a", true, true, 1), guest("b", false, true, 2)), 10);
    assertThat(plan.delete()).containsExactlyInAnyOrder("a", "b");
  }

  private static GuestView lost(String name, int age) {
    return new GuestView(name, false, false, false, false, true, T0.plusSeconds(-age));
  }

  @Test
  void aLostGuestIsReplacedAtOnceAndRemovedOnlyOnceItsReplacementIsAvailable() {
    List<GuestView> guests = new ArrayList<>(List.of(lost("gone-0", 100), guest("a", true, true, 90),
        guest("b", true, true, 80)));
    RolloutPlan replace = RolloutPlan.plan(3, RolloutStrategy.Type.RollingUpdate, new RolloutPlan.Bounds(0, 1),
        guests, 10);
    assertThat(replace).isEqualTo(new RolloutPlan(1, List.of()));
    guests.add(guest("c", true, false, 1));
    assertThat(RolloutPlan.plan(3, RolloutStrategy.Type.RollingUpdate, ONE_ONE, guests, 10).delete()).isEmpty();
    guests.set(3, guest("c", true, true, 1));
    assertThat(RolloutPlan.plan(3, RolloutStrategy.Type.RollingUpdate, ONE_ONE, guests, 10))
        .isEqualTo(new RolloutPlan(0, List.of("gone-0")));
  }

  @Test
  void aRecreateRolloutDoesNotWaitForLostGuestsNorRemoveThemEarly() {
    List<GuestView> guests = List.of(lost("gone-0", 100), lost("gone-1", 100), guest("a", true, true, 90));
    assertThat(RolloutPlan.plan(3, RolloutStrategy.Type.Recreate, ONE_ONE, guests, 10))
        .isEqualTo(new RolloutPlan(2, List.of()));
  }
}
