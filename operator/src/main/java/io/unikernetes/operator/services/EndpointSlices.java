package io.unikernetes.operator.services;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.unikernetes.api.v1alpha1.ApiGroup;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.UnikernelDeployment;
import io.unikernetes.operator.activator.Backend;
import io.unikernetes.api.v1alpha1.spec.GuestPort;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The EndpointSlices a Service should have for the Unikernels its selector matches, built the way
 * Kubernetes' EndpointSlice controller builds them for Pods (pkg/controller/endpointslice): one endpoint per
 * guest with an address, ports resolved per guest (a targetPort naming a port the guest lacks leaves that
 * port out for it, so guests are grouped by their resolved ports), at most 100 endpoints per slice. Pure.
 */
public final class EndpointSlices {

  /** Label that tells kube-proxy and Kubernetes' own controller who manages a slice. */
  public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
  /** Our value of {@link #MANAGED_BY_LABEL}; Kubernetes' own is endpointslice-controller.k8s.io. */
  public static final String MANAGER = ApiGroup.NAME;
  /** Label that ties a slice to its Service, as kube-proxy reads it. */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  /** Kubernetes' default for kube-controller-manager's --max-endpoints-per-slice. */
  static final int MAX_ENDPOINTS_PER_SLICE = 100;

  private EndpointSlices() {
  }

  /** Whether the Service routes to Unikernels at all: it has a non-empty selector and is not ExternalName. */
  public static boolean selectsGuests(Service service) {
    var spec = service.getSpec();
    return spec != null && spec.getSelector() != null && !spec.getSelector().isEmpty()
        && !"ExternalName".equals(spec.getType());
  }

  /**
   * Whether the activator can stand in for the Service's guests: a Service with a cluster IP, whose ports
   * kube-proxy maps to the slice's. A headless Service's clients connect to the endpoints' addresses on the
   * Service's own port numbers, which the activator's kernel-chosen ports are not.
   */
  public static boolean proxied(Service service) {
    return selectsGuests(service) && !"None".equals(service.getSpec().getClusterIP());
  }

  /** Whether {@code guest} is one of the Service's backends: same namespace, labels matching the selector. */
  public static boolean selects(Service service, Unikernel guest) {
    Map<String, String> labels = guest.getMetadata().getLabels();
    return selectsGuests(service) && labels != null
        && Objects.equals(service.getMetadata().getNamespace(), guest.getMetadata().getNamespace())
        && labels.entrySet().containsAll(service.getSpec().getSelector().entrySet());
  }

  /**
   * Whether the Service would select the guests {@code deployment} makes: same namespace, and its selector
   * within their labels (the template's and the deployment selector's).
   */
  public static boolean fronts(Service service, UnikernelDeployment deployment) {
    if (!selectsGuests(service)
        || !Objects.equals(service.getMetadata().getNamespace(), deployment.getMetadata().getNamespace())) {
      return false;
    }
    Map<String, String> labels = new java.util.HashMap<>();
    var template = deployment.getSpec().getTemplate();
    if (template != null && template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    if (deployment.getSpec().getSelector() != null && deployment.getSpec().getSelector().getMatchLabels() != null) {
      labels.putAll(deployment.getSpec().getSelector().getMatchLabels());
    }
    return labels.entrySet().containsAll(service.getSpec().getSelector().entrySet());
  }

  /**
   * The Ready guests behind one Service port: where kube-proxy would send a connection now (Ready, not
   * terminating, with an address, serving that port), in name order.
   */
  public static List<Unikernel> readyGuests(Service service, ServicePort port, List<Unikernel> guests) {
    String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
    return guests.stream()
        .filter(g -> selects(service, g) && !terminal(g) && g.getMetadata().getDeletionTimestamp() == null)
        .filter(g -> g.getStatus().getConditions() != null
            && Conditions.isTrue(g.getStatus().getConditions(), ConditionType.Ready))
        .filter(g -> ipv4(g).isPresent() && targetPort(port, protocol, g).isPresent())
        .sorted(Comparator.comparing(g -> g.getMetadata().getName()))
        .toList();
  }

  /** Where {@code guests} serve {@code port}: each one's address and the port it resolves to there. */
  public static List<Backend> backends(ServicePort port, List<Unikernel> guests) {
    String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
    return guests.stream().flatMap(g -> ipv4(g).flatMap(ip -> targetPort(port, protocol, g)
        .map(target -> new Backend(ip, target))).stream()).toList();
  }

  /**
   * The slice that sends a Service's traffic to the activator while none of its guests is Ready: one ready
   * endpoint, the activator's address, with {@code ports} (each Service port's name at its activator port).
   */
  public static EndpointSlice activatorSlice(Service service, String address, List<EndpointPort> ports) {
    Endpoint activator = new EndpointBuilder().withAddresses(address)
        .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
        .build();
    return slice(service, service.getMetadata().getName() + "-uk-activator", ports, List.of(activator));
  }

  /** The slices {@code service} should have, given the guests of its namespace; empty if it selects none. */
  public static List<EndpointSlice> desired(Service service, List<Unikernel> guests) {
    return desired(service, guests, Set.of());
  }

  /**
   * As {@link #desired(Service, List)}, with the guests of draining deployments (their controller's UID in
   * {@code drainingOwners}) serving but not ready: Services send new connections through the activator.
   */
  public static List<EndpointSlice> desired(Service service, List<Unikernel> guests, Set<String> drainingOwners) {
    if (!selectsGuests(service)) {
      return List.of();
    }
    Map<List<EndpointPort>, List<Endpoint>> byPorts = new LinkedHashMap<>();
    guests.stream()
        .filter(g -> selects(service, g) && ipv4(g).isPresent() && !terminal(g))
        .sorted(Comparator.comparing(g -> g.getMetadata().getName()))
        .forEach(g -> byPorts.computeIfAbsent(ports(service, g), p -> new ArrayList<>())
            .add(endpoint(service, g, owner(g).filter(drainingOwners::contains).isPresent())));
    List<EndpointSlice> slices = new ArrayList<>();
    byPorts.forEach((ports, endpoints) -> {
      for (int from = 0, chunk = 0; from < endpoints.size(); from += MAX_ENDPOINTS_PER_SLICE, chunk++) {
        List<Endpoint> part = endpoints.subList(from, Math.min(endpoints.size(), from + MAX_ENDPOINTS_PER_SLICE));
        slices.add(slice(service, sliceName(service, ports, chunk), ports, part));
      }
    });
    return slices;
  }

  private static EndpointSlice slice(Service service, String name, List<EndpointPort> ports,
      List<Endpoint> endpoints) {
    var meta = service.getMetadata();
    return new EndpointSliceBuilder()
        .withNewMetadata().withName(name).withNamespace(meta.getNamespace())
        .addToLabels(SERVICE_NAME_LABEL, meta.getName()).addToLabels(MANAGED_BY_LABEL, MANAGER)
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Service")
            .withName(meta.getName()).withUid(meta.getUid()).withController(true).withBlockOwnerDeletion(true)
            .build())
        .endMetadata()
        .withAddressType("IPv4")
        .withPorts(ports)
        .withEndpoints(List.copyOf(endpoints))
        .build();
  }

  /**
   * Stable per port set, so an update rewrites the same slice. String.hashCode is fixed by the Java language
   * specification, so every operator version and replica derives the same name.
   */
  private static String sliceName(Service service, List<EndpointPort> ports, int chunk) {
    StringBuilder key = new StringBuilder();
    ports.forEach(p -> key.append(p.getName()).append('/').append(p.getProtocol()).append('/').append(p.getPort())
        .append(','));
    return service.getMetadata().getName() + "-uk-" + String.format("%08x", key.toString().hashCode()) + "-" + chunk;
  }

  private static Endpoint endpoint(Service service, Unikernel guest, boolean draining) {
    boolean serving = guest.getStatus().getConditions() != null
        && Conditions.isTrue(guest.getStatus().getConditions(), ConditionType.Ready);
    boolean terminating = guest.getMetadata().getDeletionTimestamp() != null;
    boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
    // As Kubernetes does for Pods: a terminating endpoint is never ready unless the Service publishes all.
    boolean ready = publishNotReady || (serving && !terminating && !draining);
    var meta = guest.getMetadata();
    return new EndpointBuilder()
        .withAddresses(ipv4(guest).orElseThrow())
        .withNewConditions().withReady(ready).withServing(serving).withTerminating(terminating).endConditions()
        .withNodeName(guest.getStatus().getNodeName())
        .withNewTargetRef().withApiVersion(ApiGroup.NAME + "/" + ApiGroup.VERSION).withKind("Unikernel")
        .withNamespace(meta.getNamespace()).withName(meta.getName()).withUid(meta.getUid()).endTargetRef()
        .build();
  }

  /** The Service's ports as this guest serves them; a port it cannot resolve is left out, as for Pods. */
  private static List<EndpointPort> ports(Service service, Unikernel guest) {
    List<EndpointPort> ports = new ArrayList<>();
    for (ServicePort port : service.getSpec().getPorts() == null ? List.<ServicePort>of()
        : service.getSpec().getPorts()) {
      String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
      targetPort(port, protocol, guest).ifPresent(target -> ports.add(new EndpointPortBuilder()
          .withName(port.getName() == null ? "" : port.getName()).withPort(target).withProtocol(protocol)
          .withAppProtocol(port.getAppProtocol()).build()));
    }
    return ports;
  }

  private static Optional<Integer> targetPort(ServicePort port, String protocol, Unikernel guest) {
    IntOrString target = port.getTargetPort();
    if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
      return Optional.ofNullable(port.getPort());
    }
    if (target.getIntVal() != null) {
      return Optional.of(target.getIntVal());
    }
    List<GuestPort> declared = guest.getSpec().getPorts() == null ? List.of() : guest.getSpec().getPorts();
    return declared.stream()
        .filter(p -> target.getStrVal().equals(p.getName()) && protocol.equals(p.protocolOrDefault().name()))
        .map(GuestPort::getPort).findFirst();
  }

  /** The UID of the guest's controller (its deployment), if it has one. */
  public static Optional<String> owner(Unikernel guest) {
    return guest.getMetadata().getOwnerReferences() == null ? Optional.empty()
        : guest.getMetadata().getOwnerReferences().stream().filter(o -> Boolean.TRUE.equals(o.getController()))
            .map(o -> o.getUid()).findFirst();
  }

  private static Optional<String> ipv4(Unikernel guest) {
    String ip = guest.getStatus() == null ? null : guest.getStatus().getIp();
    return Optional.ofNullable(ip).filter(a -> !a.isEmpty() && !a.contains(":"));
  }

  private static boolean terminal(Unikernel guest) {
    return guest.getStatus().getPhase() != null && guest.getStatus().getPhase().isTerminal();
  }
}
