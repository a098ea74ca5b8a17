package io.unikernetes.agent.guests;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.status.UnikernelStatus;
import io.unikernetes.common.status.UnikernelStatusWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Read-your-writes for the agent's guests without a GET per reconcile (issue 12): every status write's
 * result is kept until the informer has caught up with it, and a reconcile works on whichever copy is
 * newer. As java-operator-sdk's temporary resource cache does, versions are compared as etcd's revisions
 * (integers); where one cannot be read so, the guest is read from the API server instead.
 */
public final class RecentWrites extends UnikernelStatusWriter {

  /** Copies in and out: a caller mutating its object (a write that then fails) must not change what is kept. */
  private static final KubernetesSerialization COPIER = new KubernetesSerialization();

  private final Map<String, Unikernel> written = new ConcurrentHashMap<>();
  private final io.fabric8.kubernetes.client.KubernetesClient client;

  public RecentWrites(io.fabric8.kubernetes.client.KubernetesClient client, Clock clock) {
    super(client, clock);
    this.client = client;
  }

  @Override
  public Unikernel write(Unikernel guest, UnaryOperator<UnikernelStatus> change) {
    String before = guest.getMetadata().getResourceVersion();
    Unikernel stored = super.write(guest, change);
    if (!java.util.Objects.equals(before, stored.getMetadata().getResourceVersion())) {
      remember(stored); // a no-op write (status unchanged) stores nothing and needs no copy
    }
    return stored;
  }

  void remember(Unikernel stored) {
    written.merge(stored.getMetadata().getUid(), COPIER.clone(stored), (old, now) -> newer(now, old) ? now : old);
  }

  /**
   * The guest as this agent last knows it: its own last write when the cached copy is older, else the cached
   * copy (and the write is forgotten); read from the API server when versions cannot be compared. Empty when
   * the guest is gone.
   */
  public Optional<Unikernel> freshest(Unikernel cached) {
    String uid = cached.getMetadata().getUid();
    Unikernel mine = written.get(uid);
    if (mine == null) {
      return Optional.of(cached);
    }
    if (revision(mine).isEmpty() || revision(cached).isEmpty()) {
      written.remove(uid);
      return Optional.ofNullable(client.resource(cached).get());
    }
    if (newer(mine, cached)) {
      return Optional.of(COPIER.clone(mine));
    }
    written.remove(uid, mine);
    return Optional.of(cached);
  }

  /** Drops what is kept for a guest that is gone. */
  public void forget(String uid) {
    written.remove(uid);
  }

  int size() {
    return written.size();
  }

  private static boolean newer(Unikernel a, Unikernel b) {
    OptionalLong ra = revision(a);
    OptionalLong rb = revision(b);
    return ra.isPresent() && rb.isPresent() && ra.getAsLong() > rb.getAsLong();
  }

  private static OptionalLong revision(Unikernel guest) {
    try {
      return OptionalLong.of(Long.parseLong(guest.getMetadata().getResourceVersion()));
    } catch (NumberFormatException | NullPointerException e) {
      return OptionalLong.empty();
    }
  }
}
