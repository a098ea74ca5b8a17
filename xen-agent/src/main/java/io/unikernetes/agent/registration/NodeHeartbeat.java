package io.unikernetes.agent.registration;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * The agent's heartbeat: a coordination.k8s.io Lease named after its XenNode, renewed every interval and
 * valid for four. The operator declares the node lost when it expires. A Lease write is far cheaper than a
 * XenNode status write, so heartbeats stay frequent without churning XenNode watchers.
 */
public class NodeHeartbeat {

  /** How many renew intervals a Lease stays valid: missing three renewals in a row is not yet a loss. */
  public static final int INTERVALS_PER_LEASE = 4;

  private final KubernetesClient client;
  private final String namespace;
  private final String nodeName;
  private final Duration interval;
  private final Clock clock;

  public NodeHeartbeat(KubernetesClient client, String namespace, String nodeName, Duration interval, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.nodeName = nodeName;
    this.interval = interval;
    this.clock = clock;
  }

  public void renew() {
    ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    int seconds = (int) interval.multipliedBy(INTERVALS_PER_LEASE).toSeconds();
    var leases = client.leases().inNamespace(namespace);
    Lease current = leases.withName(nodeName).get();
    if (current == null) {
      try {
        leases.resource(new LeaseBuilder().withNewMetadata().withName(nodeName).withNamespace(namespace)
            .addToLabels("unikernetes.io/node-heartbeat", "true").endMetadata()
            .withNewSpec().withHolderIdentity(nodeName).withLeaseDurationSeconds(seconds).withRenewTime(now)
            .withAcquireTime(now).endSpec().build()).create();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        current = leases.withName(nodeName).get();
      }
    }
    current.getSpec().setRenewTime(now);
    current.getSpec().setLeaseDurationSeconds(seconds);
    current.getSpec().setHolderIdentity(nodeName);
    leases.resource(current).update();
  }
}
