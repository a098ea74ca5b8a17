package io.unikernetes.operator.services;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.UnikernelDeployment;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.operator.activator.Activator;
import io.unikernetes.operator.activator.ActivatorRoute;
import io.unikernetes.operator.activator.RouteKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Gives every Service whose selector matches Unikernels the EndpointSlices that route to them, as
 * Kubernetes' EndpointSlice controller does for Pods, so kube-proxy and every other Service consumer treat
 * guests like Pods. Owns only slices labelled managed-by unikernetes.io (never Kubernetes' own, which exist
 * alongside for the same Service); they are owned by the Service, so they go with it.
 *
 * <p>A Service that fronts a deployment with spec.scaleToZero gets an activator port per TCP port; while none
 * of its guests is Ready, one more slice sends its traffic to the activator, which holds it and wakes the
 * deployment. When a guest is Ready, held connections go to it and that slice goes (the hand-back).
 */
public class ServiceEndpointsReconciler implements Reconciler<Service> {

  /** Field manager of the slices this operator writes (server-side apply). */
  static final String FIELD_MANAGER = "unikernetes-operator";

  private final KubernetesClient client;
  private final Optional<Activator> activator;
  /** Activator routes by Service, to close those of Services that are gone or no longer front a sleeper. */
  private final Map<ResourceID, Set<RouteKey>> routes = new ConcurrentHashMap<>();
  private InformerEventSource<Unikernel, Service> guests;
  private InformerEventSource<EndpointSlice, Service> slices;
  private InformerEventSource<UnikernelDeployment, Service> deployments;
  private IndexedResourceCache<Service> services;

  /** @param activator the activator standing in for deployments at zero; empty: none (they never idle) */
  public ServiceEndpointsReconciler(KubernetesClient client, Optional<Activator> activator) {
    this.client = client;
    this.activator = activator;
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
    deployments = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(UnikernelDeployment.class, Service.class)
        .withName("service-deployments")
        .withOnUpdateFilter((before, after) -> !Objects.equals(before.getSpec(), after.getSpec())
            || draining(before) != draining(after))
        .withSecondaryToPrimaryMapper(deployment -> context.getPrimaryCache()
            .list(deployment.getMetadata().getNamespace(), s -> EndpointSlices.fronts(s, deployment))
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((Service service) -> Set.of())
        .build(), context);
    services = context.getPrimaryCache();
    return List.of(guests, slices, deployments);
  }

  @Override
  public UpdateControl<Service> reconcile(Service service, Context<Service> context) {
    String namespace = service.getMetadata().getNamespace();
    List<Unikernel> namespaceGuests = guests.list(namespace, g -> true).toList();
    // A drain takes guests out of the Services the activator covers whole (a cluster IP, TCP ports only); in
    // others they stay ready, and traffic there reaches them straight, which their nodes note as activity.
    Set<String> drainingOwners = activator.isPresent() && EndpointSlices.proxied(service) && tcpOnly(service)
        ? deployments.list(namespace, ServiceEndpointsReconciler::draining).map(d -> d.getMetadata().getUid())
            .collect(Collectors.toSet())
        : Set.of();
    List<EndpointSlice> desired = new ArrayList<>(EndpointSlices.desired(service, namespaceGuests, drainingOwners));
    // The activator's slice first: a drain must never leave the Service without a ready endpoint in between.
    activator.flatMap(a -> standIn(a, service, namespaceGuests, drainingOwners)).ifPresent(s -> desired.add(0, s));
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

  /**
   * Opens or updates the activator routes of a Service that fronts scale-to-zero deployments, gives them its
   * Ready guests, and returns the activator slice while there are none. Serialized: the routes kept are
   * computed from every Service's, and two passes at once could close each other's new ports.
   */
  private synchronized Optional<EndpointSlice> standIn(Activator activator, Service service,
      List<Unikernel> namespaceGuests, Set<String> drainingOwners) {
    ResourceID id = ResourceID.fromResource(service);
    List<UnikernelDeployment> sleepers = !EndpointSlices.proxied(service) ? List.of()
        : deployments.list(service.getMetadata().getNamespace(), d -> d.getSpec() != null
            && d.getSpec().getScaleToZero() != null && EndpointSlices.fronts(service, d)).toList();
    Optional<EndpointSlice> slice = Optional.empty();
    if (sleepers.isEmpty()) {
      routes.remove(id);
    } else {
      Set<String> names = sleepers.stream().map(d -> d.getMetadata().getName()).collect(Collectors.toSet());
      Map<String, String> namesByUid = sleepers.stream().collect(Collectors.toMap(d -> d.getMetadata().getUid(),
          d -> d.getMetadata().getName()));
      Duration maxWake = sleepers.stream().map(d -> d.getSpec().getScaleToZero().maxWake())
          .max(Duration::compareTo).orElseThrow();
      Set<RouteKey> keys = new HashSet<>();
      List<EndpointPort> ports = new ArrayList<>();
      boolean anyReady = false;
      for (ServicePort port : service.getSpec().getPorts() == null ? List.<ServicePort>of()
          : service.getSpec().getPorts()) {
        if (port.getProtocol() != null && !"TCP".equals(port.getProtocol())) {
          continue; // the activator relays TCP only
        }
        RouteKey key = new RouteKey(id.getNamespace().orElseThrow(), id.getName(),
            port.getName() == null || port.getName().isEmpty() ? String.valueOf(port.getPort()) : port.getName());
        int listening = activator.open(new ActivatorRoute(key, speaksHttp(port), names, maxWake));
        List<Unikernel> ready = EndpointSlices.readyGuests(service, port, namespaceGuests);
        Set<String> readyDeployments = ready.stream().flatMap(g -> EndpointSlices.owner(g).stream())
            .map(namesByUid::get).filter(Objects::nonNull).collect(Collectors.toSet());
        activator.backends(key, EndpointSlices.backends(port, ready), readyDeployments);
        // Draining guests still answer the activator's relays, but take no connection straight from the Service.
        anyReady |= ready.stream().anyMatch(g -> EndpointSlices.owner(g).filter(drainingOwners::contains).isEmpty());
        keys.add(key);
        ports.add(new EndpointPortBuilder().withName(port.getName() == null ? "" : port.getName())
            .withPort(listening).withProtocol("TCP").withAppProtocol(port.getAppProtocol()).build());
      }
      routes.put(id, keys);
      if (!anyReady && !ports.isEmpty()) {
        slice = Optional.of(EndpointSlices.activatorSlice(service, activator.address(), ports));
      }
    }
    routes.keySet().removeIf(other -> services.get(other).isEmpty());
    activator.retain(routes.values().stream().flatMap(Set::stream).collect(Collectors.toSet()));
    return slice;
  }

  private static boolean tcpOnly(Service service) {
    return service.getSpec().getPorts() != null && service.getSpec().getPorts().stream()
        .allMatch(p -> p.getProtocol() == null || "TCP".equals(p.getProtocol()));
  }

  /** Whether the deployment drains on its way to zero (its ScaledToZero condition says Draining). */
  private static boolean draining(UnikernelDeployment deployment) {
    return deployment.getStatus() != null && Conditions.find(deployment.getStatus().getConditions(),
        ConditionType.ScaledToZero).map(c -> Reason.Draining.name().equals(c.getReason())).orElse(false);
  }

  /** HTTP by appProtocol, or by name as Istio reads it (http, http-*): a timed-out request gets a 503. */
  private static boolean speaksHttp(ServicePort port) {
    String protocol = port.getAppProtocol() == null ? "" : port.getAppProtocol().toLowerCase(Locale.ROOT);
    String name = port.getName() == null ? "" : port.getName().toLowerCase(Locale.ROOT);
    return protocol.equals("http") || name.equals("http") || name.startsWith("http-");
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
