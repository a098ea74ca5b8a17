package io.unikernetes.operator.binding;

import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.unikernetes.api.v1alpha1.Binding;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.operator.scheduler.Resources;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The scheduler's cache of Unikernels, which also keeps what the guests bound to each XenNode use. It is the
 * item store of the scheduling controller's own informer: every put and remove the informer makes adjusts the
 * guest's node's sum, so a binding decision reads the sums in O(nodes) instead of summing every guest (issue
 * 12: with 10,000 guests that sum was most of a decision's cost), and the sums and the controller's cache can
 * never disagree. (A second informer used to feed the sums: each guest's every change was then decoded twice.)
 *
 * <p>Counted as the scheduler always counted: guests bound (spec.nodeName confirmed by Scheduled=True) and
 * not terminal; a deleting guest counts until it is gone. When a change ends what a guest counted for (it
 * finished, left or went), the capacity listener runs, after the store's lock is released.
 */
final class NodeUsage implements ItemStore<Unikernel> {

  /** A guest as stored, and the node and resources it counts for, if any. */
  private record Entry(Unikernel guest, Optional<String> node, Resources resources) {
  }

  private final Map<String, Entry> byKey = new ConcurrentHashMap<>();
  private final Set<String> countedUids = ConcurrentHashMap.newKeySet();
  /** Guarded by this, as are changes to byKey and countedUids, so a snapshot is consistent. */
  private final Map<String, Resources> byNode = new HashMap<>();
  private volatile Runnable capacityFreed = () -> {
  };

  /** Runs {@code listener} on the informer's thread whenever a guest stops counting on its node. */
  void onCapacityFreed(Runnable listener) {
    capacityFreed = listener;
  }

  @Override
  public String getKey(Unikernel guest) {
    return Cache.metaNamespaceKeyFunc(guest);
  }

  @Override
  public Unikernel put(String key, Unikernel guest) {
    Optional<String> node = Binding.holdingNode(guest);
    Resources resources = node.isPresent() ? ClusterSnapshot.request(guest).resources() : Resources.NONE;
    Entry old;
    synchronized (this) {
      old = byKey.put(key, new Entry(guest, node, resources));
      uncount(old);
      node.ifPresent(n -> {
        byNode.merge(n, resources, Resources::plus);
        countedUids.add(guest.getMetadata().getUid());
      });
    }
    if (old != null && old.node().isPresent() && !old.node().equals(node)) {
      capacityFreed.run();
    }
    return old == null ? null : old.guest();
  }

  @Override
  public Unikernel remove(String key) {
    Entry old;
    synchronized (this) {
      old = byKey.remove(key);
      uncount(old);
    }
    if (old != null && old.node().isPresent()) {
      capacityFreed.run();
    }
    return old == null ? null : old.guest();
  }

  private void uncount(Entry entry) {
    if (entry == null || entry.node().isEmpty()) {
      return;
    }
    String node = entry.node().get();
    Resources left = byNode.get(node).minus(entry.resources());
    if (left.guests() == 0) {
      byNode.remove(node);
    } else {
      byNode.put(node, left);
    }
    countedUids.remove(entry.guest().getMetadata().getUid());
  }

  @Override
  public Stream<String> keySet() {
    return byKey.keySet().stream();
  }

  @Override
  public Stream<Unikernel> values() {
    return byKey.values().stream().map(Entry::guest);
  }

  @Override
  public int size() {
    return byKey.size();
  }

  @Override
  public Unikernel get(String key) {
    Entry entry = byKey.get(key);
    return entry == null ? null : entry.guest();
  }

  /** What each node's bound guests use, as of the last event: node name to sum; nodes without any are absent. */
  synchronized Map<String, Resources> snapshot() {
    return new HashMap<>(byNode);
  }

  /**
   * {@link #snapshot()} plus the bindings in {@code inFlightByUid} (guest UID to binding) that this store
   * does not count yet, read under the same lock as the sums: a binding is counted exactly once whether or
   * not its event has arrived. Counting it twice would make a node with room look full, and the guest that
   * met it would wait for the next retry.
   */
  synchronized Map<String, Resources> snapshotWith(Map<String, Binder.Assumed> inFlightByUid) {
    Map<String, Resources> held = new HashMap<>(byNode);
    inFlightByUid.forEach((uid, binding) -> {
      if (!countedUids.contains(uid)) {
        held.merge(binding.node(), binding.resources(), Resources::plus);
      }
    });
    return held;
  }

  /** Whether the guest of {@code uid} is counted on a node, i.e. its binding is seen here. */
  boolean counts(String uid) {
    return countedUids.contains(uid);
  }
}
