package io.unikernetes.operator.deployment;

import io.unikernetes.api.v1alpha1.spec.RolloutStrategy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One step of a rollout, computed from the guests that exist: how many guests of the current revision to
 * create and which guests to delete. Pure. Within a RollingUpdate, guests never exceed replicas + maxSurge
 * and available guests never drop below replicas - maxUnavailable because of a deletion made here. Guests on
 * a lost node take no slot (their replacements are created at once) and are deleted only when the current
 * revision has all its replicas available elsewhere: a guest that may still serve is never removed first.
 */
record RolloutPlan(int create, List<String> delete) {

  /** maxSurge and maxUnavailable resolved to guest counts. */
  record Bounds(int surge, int unavailable) {
  }

  static RolloutPlan plan(int replicas, RolloutStrategy.Type type, Bounds bounds, List<GuestView> guests,
      int historyLimit) {
    List<GuestView> holding = guests.stream().filter(GuestView::holdsSlot).toList();
    List<GuestView> fresh = holding.stream().filter(GuestView::current).toList();
    List<GuestView> old = holding.stream().filter(g -> !g.current()).toList();
    List<String> delete = new ArrayList<>(expiredHistory(guests, historyLimit));
    if (fresh.stream().filter(GuestView::available).count() >= replicas) {
      guests.stream().filter(GuestView::lost).forEach(g -> delete.add(g.name()));
    }
    int create = 0;
    if (type == RolloutStrategy.Type.Recreate) {
      if (!old.isEmpty()) {
        old.forEach(g -> delete.add(g.name()));
      } else {
        create = Math.max(0, replicas - fresh.size());
        delete.addAll(surplus(fresh, fresh.size() - replicas));
      }
      return new RolloutPlan(create, delete);
    }
    int total = fresh.size() + old.size();
    if (fresh.size() < replicas) {
      create = Math.max(0, Math.min(replicas - fresh.size(), replicas + bounds.surge() - total));
    } else {
      delete.addAll(surplus(fresh, fresh.size() - replicas));
    }
    // Old guests that are not available can go at once: removing them costs no availability.
    old.stream().filter(g -> !g.available()).forEach(g -> delete.add(g.name()));
    long availableFresh = fresh.stream().filter(GuestView::available).count();
    long availableOld = old.stream().filter(GuestView::available).count();
    long minAvailable = Math.max(0, replicas - bounds.unavailable());
    long removable = Math.min(availableOld, availableFresh + availableOld - minAvailable);
    if (replicas == 0) {
      removable = availableOld;
    }
    old.stream().filter(GuestView::available).sorted(Comparator.comparing(GuestView::created))
        .limit(Math.max(0, removable)).forEach(g -> delete.add(g.name()));
    return new RolloutPlan(create, delete);
  }

  /** The {@code count} guests to drop when there are too many: not available first, then the newest. */
  private static List<String> surplus(List<GuestView> guests, int count) {
    if (count <= 0) {
      return List.of();
    }
    return guests.stream()
        .sorted(Comparator.comparing(GuestView::available).thenComparing(GuestView::created, Comparator.reverseOrder()))
        .limit(count).map(GuestView::name).toList();
  }

  /** Finished guests that no longer hold a slot, beyond the newest {@code limit}. */
  private static List<String> expiredHistory(List<GuestView> guests, int limit) {
    return guests.stream().filter(g -> !g.holdsSlot() && !g.lost())
        .sorted(Comparator.comparing(GuestView::created, Comparator.reverseOrder()))
        .skip(limit).map(GuestView::name).toList();
  }
}
