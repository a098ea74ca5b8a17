package io.unikernetes.operator.scaletozero;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * When each deployment last saw a request, as this operator process knows it. Kept in memory only: a new
 * leader starts every idle wait again from its own start, so losing it can delay an idle scale-down, never
 * hasten one.
 */
public final class ActivityLog {

  private final Map<DeploymentKey, Instant> last = new ConcurrentHashMap<>();
  private final Set<DeploymentKey> draining = ConcurrentHashMap.newKeySet();

  /** Records activity of {@code deployment} at {@code at}; an earlier time than the one kept is ignored. */
  public void touch(DeploymentKey deployment, Instant at) {
    last.merge(deployment, at, (a, b) -> a.isAfter(b) ? a : b);
  }

  /** The last activity recorded, if any. */
  public Optional<Instant> last(DeploymentKey deployment) {
    return Optional.ofNullable(last.get(deployment));
  }

  /** Records whether {@code deployment} drains now: a request to it then should end the drain at once. */
  public void draining(DeploymentKey deployment, boolean now) {
    if (now) {
      draining.add(deployment);
    } else {
      draining.remove(deployment);
    }
  }

  /** Whether {@code deployment} drains now. */
  public boolean isDraining(DeploymentKey deployment) {
    return draining.contains(deployment);
  }

  /** Forgets a deleted deployment, or one that no longer scales to zero. */
  public void forget(DeploymentKey deployment) {
    last.remove(deployment);
    draining.remove(deployment);
  }

  /** Forgets every deployment {@code live} does not hold. */
  public void retain(Predicate<DeploymentKey> live) {
    last.keySet().removeIf(live.negate());
    draining.removeIf(live.negate());
  }
}
