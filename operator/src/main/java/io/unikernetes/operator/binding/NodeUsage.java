package io.unikernetes.operator.binding;

import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.unikernetes.api.v1alpha1.Binding;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.status.UnikernelStatus;
import io.unikernetes.operator.scheduler.Resources;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * What the guests bound to each XenNode use, kept event by event. It is the item store of an informer on
 * Unikernels: for each guest it keeps only its identity and what it counts for, and adjusts its node's sum
 * on every put and remove the informer makes. A binding decision then reads the sums in O(nodes) instead of
 * summing every guest (issue 12: with 10,000 guests that sum was most of a decision's cost), and the store
 * holds a few hundred bytes per guest, not a second copy of every object.
 *
 * <p>Counted as the scheduler always counted: guests bound (spec.nodeName confirmed by Scheduled=True) and
 * not terminal; a deleting guest counts until it is gone.
 */
final class NodeUsage implements ItemStore<Unikernel> {

  /** A guest as stored: a shell with its identity and phase, and the node and resources it counts for, if any. */
  private record Entry(Unikernel shell, Optional<String> node, Resources resources) {
  }

  private final Map<String, Entry> byKey = new ConcurrentHashMap<>();
  private final Set<String> countedUids = ConcurrentHashMap.newKeySet();
  /** Guarded by this, as are changes to byKey and countedUids, so a snapshot is consistent. */
  private final Map<String, Resources> byNode = new HashMap<>();

  @Override
  public String getKey(Unikernel guest) {
    return Cache.metaNamespaceKeyFunc(guest);
  }

  @Override
  public synchronized Unikernel put(String key, Unikernel guest) {
    Optional<String> node = Binding.holdingNode(guest);
    Resources resources = node.isPresent() ? ClusterSnapshot.request(guest).resources() : Resources.NONE;
    Entry old = byKey.put(key, new Entry(shellOf(guest), node, resources));
    uncount(old);
    node.ifPresent(n -> {
      byNode.merge(n, resources, Resources::plus);
      countedUids.add(guest.getMetadata().getUid());
    });
    return old == null ? null : old.shell();
  }

  @Override
  public synchronized Unikernel remove(String key) {
    Entry old = byKey.remove(key);
    uncount(old);
    return old == null ? null : old.shell();
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
    countedUids.remove(entry.shell().getMetadata().getUid());
  }

  private static Unikernel shellOf(Unikernel guest) {
    Unikernel shell = new Unikernel();
    shell.getMetadata().setNamespace(guest.getMetadata().getNamespace());
    shell.getMetadata().setName(guest.getMetadata().getName());
    shell.getMetadata().setUid(guest.getMetadata().getUid());
    shell.getMetadata().setResourceVersion(guest.getMetadata().getResourceVersion());
    if (guest.getStatus() != null && guest.getStatus().getPhase() != null) {
      // For the update filter that wakes pending guests when this one finishes (the informer hands it the shell).
      shell.setStatus(new UnikernelStatus());
      shell.getStatus().setPhase(guest.getStatus().getPhase());
    }
    return shell;
  }

  @Override
  public Stream<String> keySet() {
    return byKey.keySet().stream();
  }

  @Override
  public Stream<Unikernel> values() {
    return byKey.values().stream().map(Entry::shell);
  }

  @Override
  public int size() {
    return byKey.size();
  }

  @Override
  public Unikernel get(String key) {
    Entry entry = byKey.get(key);
    return entry == null ? null : entry.shell();
  }

  /** Shells, not whole objects: the informer must not hand them out as the guests' state. */
  @Override
  public boolean isFullState() {
    return false;
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
