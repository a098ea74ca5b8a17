package io.unikernetes.common.events;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.unikernetes.api.v1alpha1.status.Reason;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records Kubernetes Events (core/v1) for what a user must notice. Best effort: never fails the caller. */
public class EventRecorder {

  /** Event severity, as Kubernetes spells it. */
  public enum Type { Normal, Warning }

  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  /** Events for cluster-scoped objects (XenNodes) live in this namespace, as for Nodes. */
  private static final String CLUSTER_EVENTS_NAMESPACE = "default";

  private final KubernetesClient client;
  private final String component;
  private final String instance;
  private final Clock clock;
  private final AtomicLong sequence = new AtomicLong();
  /** The API server's limits: an Event name is a DNS subdomain, its reportingInstance 128 characters. */
  private static final int MAX_NAME = 253;
  private static final int MAX_REPORTING_INSTANCE = 128;

  public EventRecorder(KubernetesClient client, String component, String instance, Clock clock) {
    this.client = client;
    this.component = component;
    this.instance = instance;
    this.clock = clock;
  }

  /**
   * {@code <object>.<unique suffix>} as client-go names Events, the object's part cut (and cut back to a letter or
   * digit) when the whole would pass 253 characters: a Unikernel's own name may already have 253.
   */
  String eventName(String objectName) {
    String suffix = "." + Long.toHexString(System.nanoTime()) + Long.toHexString(sequence.incrementAndGet());
    String head = objectName.length() + suffix.length() <= MAX_NAME ? objectName
        : objectName.substring(0, MAX_NAME - suffix.length()).replaceAll("[^a-z0-9]+$", "");
    return head + suffix;
  }

  public void record(HasMetadata object, Type type, Reason reason, String message) {
    String namespace = object.getMetadata().getNamespace() == null
        ? CLUSTER_EVENTS_NAMESPACE : object.getMetadata().getNamespace();
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    var event = new EventBuilder()
        .withNewMetadata()
          .withNamespace(namespace)
          .withName(eventName(object.getMetadata().getName()))
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(object.getApiVersion())
            .withKind(object.getKind())
            .withNamespace(object.getMetadata().getNamespace())
            .withName(object.getMetadata().getName())
            .withUid(object.getMetadata().getUid())
            .withResourceVersion(object.getMetadata().getResourceVersion())
            .build())
        .withType(type.name())
        .withReason(reason.name())
        .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource().withComponent(component).withHost(instance).endSource()
        .withReportingComponent(component)
        .withReportingInstance(instance.length() > MAX_REPORTING_INSTANCE
            ? instance.substring(0, MAX_REPORTING_INSTANCE) : instance)
        .build();
    try {
      client.v1().events().inNamespace(namespace).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn("could not record event {} on {}/{}: {}", reason, namespace, object.getMetadata().getName(),
          e.getMessage());
    }
  }
}
