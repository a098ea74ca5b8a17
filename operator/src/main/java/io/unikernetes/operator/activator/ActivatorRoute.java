package io.unikernetes.operator.activator;

import java.time.Duration;
import java.util.Set;

/**
 * What the activator needs to know about one Service port it stands in for.
 *
 * @param key the Service port
 * @param http whether the port speaks HTTP (its appProtocol or name says so): a held request past
 *     {@code maxWake} then gets HTTP 503 with Retry-After instead of a closed connection
 * @param deployments names of the scale-to-zero UnikernelDeployments (in the key's namespace) the Service
 *     fronts: a held connection wakes them and counts as their activity
 * @param maxWake how long a connection is held for a Ready guest
 */
public record ActivatorRoute(RouteKey key, boolean http, Set<String> deployments, Duration maxWake) {

  public ActivatorRoute {
    deployments = Set.copyOf(deployments);
  }
}
