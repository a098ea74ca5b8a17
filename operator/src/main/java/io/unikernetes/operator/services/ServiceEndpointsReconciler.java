package io.unikernetes.operator.services;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.unikernetes.api.v1alpha1.Unikernel;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Gives every Service whose selector matches Unikernels the EndpointSlices that route to them, as
 * Kubernetes' EndpointSlice controller does for Pods, so kube-proxy and every other Service consumer treat
 * guests like Pods. Owns only slices labelled managed-by unikernetes.io (never Kubernetes' own, which exist
 * alongside for the same Service); they are owned by the Service, so they go with it.
 */
public class ServiceEndpointsReconciler implements Reconciler<Service> {

  /** Field manager of the slices this operator writes (server-side apply). */
  static final String FIELD_MANAGER = "unikernetes-operator";

  private final KubernetesClient client;
  private InformerEventSource<Unikernel, Service> guests;
  private InformerEventSource<EndpointSlice, Service> slices;

  public ServiceEndpointsReconciler(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public List<EventSource<?, Service>> prepareEventSources(EventSourceContext<Service> context) {
    // A guest whose labels changed may have left a Service's selector: every selecting Service of its
    // namespace looks again, not only those matching its new labels.
    guests = new InformerEventSource<>(InformerEventSourceConfiguration.from(Unikernel.class, Service.class)
        .withName("service-guests")
        .withSecondaryToPrimaryMapper(guest -> context.getPrimaryCache()
            .list(guest.getMetadata().getNamespace(), EndpointSlices::selectsGuests)
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .build(), context);
    slices = new InformerEventSource<>(InformerEventSourceConfiguration.from(EndpointSlice.class, Service.class)
        .withName("service-slices")
        .withLabelSelector(EndpointSlices.MANAGED_BY_LABEL + "=" + EndpointSlices.MANAGER)
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Service.class))
        .build(), context);
    return List.of(guests, slices);
  }

  @Override
  public UpdateControl<Service> reconcile(Service service, Context<Service> context) {
    String namespace = service.getMetadata().getNamespace();
    List<EndpointSlice> desired = EndpointSlices.desired(service, guests.list(namespace, g -> true).toList());
    Map<String, EndpointSlice> existing = slices.list(namespace, s -> ownedBy(s, service))
        .collect(Collectors.toMap(s -> s.getMetadata().getName(), Function.identity()));
    for (EndpointSlice slice : desired) {
      EndpointSlice current = existing.get(slice.getMetadata().getName());
      if (current == null || !sameContent(current, slice)) {
        client.resource(slice).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
      }
    }
    Set<String> wanted = desired.stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
    existing.values().stream().filter(s -> !wanted.contains(s.getMetadata().getName()))
        .forEach(s -> client.resource(s).delete());
    return UpdateControl.noUpdate();
  }

  private static boolean ownedBy(EndpointSlice slice, Service service) {
    return slice.getMetadata().getOwnerReferences() != null && slice.getMetadata().getOwnerReferences().stream()
        .anyMatch(o -> Objects.equals(o.getUid(), service.getMetadata().getUid()));
  }

  private static boolean sameContent(EndpointSlice current, EndpointSlice wanted) {
    return Objects.equals(current.getEndpoints(), wanted.getEndpoints())
        && Objects.equals(current.getPorts(), wanted.getPorts())
        && Objects.equals(current.getAddressType(), wanted.getAddressType())
        && current.getMetadata().getLabels().entrySet().containsAll(wanted.getMetadata().getLabels().entrySet());
  }
}
