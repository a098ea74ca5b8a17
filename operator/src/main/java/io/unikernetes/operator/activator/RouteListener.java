package io.unikernetes.operator.activator;

import java.util.Set;

/**
 * What the activator tells the rest of the operator. Called on the activator's event-loop threads: an
 * implementation must not block.
 */
public interface RouteListener {

  /** A connection arrived on {@code route}: activity of its deployments. */
  void connected(ActivatorRoute route);

  /** A connection is held on {@code route} for want of a Ready guest: its deployments should wake. */
  void held(ActivatorRoute route);

  /** {@code route} has Ready guests (again), of {@code deployments}: held connections go to them now. */
  void ready(ActivatorRoute route, Set<String> deployments);

  /** A held connection waited {@code route.maxWake()} without a Ready guest and was failed. */
  void timedOut(ActivatorRoute route);
}
