package io.unikernetes.operator.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.spec.GuestPort;
import io.unikernetes.api.v1alpha1.spec.PortProtocol;
import io.unikernetes.api.v1alpha1.spec.UnikernelSpec;
import io.unikernetes.api.v1alpha1.status.ConditionStatus;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.api.v1alpha1.status.UnikernelStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EndpointSlicesTest {

  private static Service service(IntOrString targetPort) {
    return new ServiceBuilder().withNewMetadata().withName("web").withNamespace("shop").withUid("svc-uid").endMetadata()
        .withNewSpec().withSelector(Map.of("app", "web"))
        .addNewPort().withName("http").withPort(80).withTargetPort(targetPort).endPort()
        .endSpec().build();
  }

  private static Unikernel guest(String name, String ip, boolean ready, List<GuestPort> ports) {
    Unikernel guest = new Unikernel();
    guest.getMetadata().setName(name);
    guest.getMetadata().setNamespace("shop");
    guest.getMetadata().setUid("uid-" + name);
    guest.getMetadata().setLabels(Map.of("app", "web"));
    UnikernelSpec spec = new UnikernelSpec();
    spec.setPorts(ports);
    guest.setSpec(spec);
    UnikernelStatus status = new UnikernelStatus();
    status.setPhase(UnikernelPhase.Running);
    status.setNodeName("xen-01");
    status.setIp(ip);
    status.setConditions(Conditions.with(List.of(), ConditionType.Ready,
        ready ? ConditionStatus.True : ConditionStatus.False, Reason.Running, "", 1L, Instant.EPOCH));
    guest.setStatus(status);
    return guest;
  }

  private static final List<GuestPort> HTTP_8080 = List.of(new GuestPort("http", 8080, PortProtocol.TCP));

  @Test
  void readyAndUnreadyGuestsAreEndpointsWithTheirConditionsAndANamedTargetPortResolved() {
    List<EndpointSlice> slices = EndpointSlices.desired(service(new IntOrString("http")), List.of(
        guest("b", "10.240.1.3", false, HTTP_8080), guest("a", "10.240.1.2", true, HTTP_8080)));

    assertThat(slices).hasSize(1);
    EndpointSlice slice = slices.get(0);
    assertThat(slice.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "web")
        .containsEntry("endpointslice.kubernetes.io/managed-by", "unikernetes.io");
    assertThat(slice.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo("svc-uid"));
    assertThat(slice.getAddressType()).isEqualTo("IPv4");
    assertThat(slice.getPorts()).extracting(EndpointPort::getName, EndpointPort::getPort, EndpointPort::getProtocol)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("http", 8080, "TCP"));
    assertThat(slice.getEndpoints()).extracting(e -> e.getAddresses().get(0), e -> e.getConditions().getReady(),
            e -> e.getConditions().getServing(), e -> e.getConditions().getTerminating(), Endpoint::getNodeName)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("10.240.1.2", true, true, false, "xen-01"),
            org.assertj.core.groups.Tuple.tuple("10.240.1.3", false, false, false, "xen-01"));
    assertThat(slice.getEndpoints().get(0).getTargetRef().getKind()).isEqualTo("Unikernel");
  }

  @Test
  void aTerminatingGuestIsServingButNotReady() {
    Unikernel leaving = guest("a", "10.240.1.2", true, HTTP_8080);
    leaving.getMetadata().setDeletionTimestamp("2026-11-30T00:00:00Z");
    Endpoint endpoint = EndpointSlices.desired(service(new IntOrString(8080)), List.of(leaving)).get(0)
        .getEndpoints().get(0);
    assertThat(endpoint.getConditions().getReady()).isFalse();
    assertThat(endpoint.getConditions().getServing()).isTrue();
    assertThat(endpoint.getConditions().getTerminating()).isTrue();
  }

  @Test
  void guestsThatResolveANamedPortDifferentlyGetSeparateSlices() {
    List<EndpointSlice> slices = EndpointSlices.desired(service(new IntOrString("http")), List.of(
        guest("a", "10.240.1.2", true, HTTP_8080),
        guest("b", "10.240.1.3", true, List.of(new GuestPort("http", 9090, PortProtocol.TCP))),
        guest("c", "10.240.1.4", true, List.of())));

    assertThat(slices).hasSize(3);
    assertThat(slices).extracting(s -> s.getPorts().stream().map(EndpointPort::getPort).toList())
        .containsExactlyInAnyOrder(List.of(8080), List.of(9090), List.of());
    assertThat(slices).extracting(s -> s.getMetadata().getName()).doesNotHaveDuplicates();
  }

  @Test
  void guestsWithoutAnAddressOrFinishedOrNotSelectedAreLeftOut() {
    Unikernel noIp = guest("a", null, true, HTTP_8080);
    Unikernel done = guest("b", "10.240.1.3", false, HTTP_8080);
    done.getStatus().setPhase(UnikernelPhase.Succeeded);
    Unikernel other = guest("c", "10.240.1.4", true, HTTP_8080);
    other.getMetadata().setLabels(Map.of("app", "db"));
    Unikernel elsewhere = guest("d", "10.240.1.5", true, HTTP_8080);
    elsewhere.getMetadata().setNamespace("other");

    assertThat(EndpointSlices.desired(service(new IntOrString(8080)), List.of(noIp, done, other, elsewhere)))
        .isEmpty();
  }

  @Test
  void aServiceWithoutSelectorOrOfTypeExternalNameIsNotOurs() {
    Service manual = service(new IntOrString(8080));
    manual.getSpec().setSelector(null);
    Service external = service(new IntOrString(8080));
    external.getSpec().setType("ExternalName");
    List<Unikernel> guests = List.of(guest("a", "10.240.1.2", true, HTTP_8080));
    assertThat(EndpointSlices.desired(manual, guests)).isEmpty();
    assertThat(EndpointSlices.desired(external, guests)).isEmpty();
  }

  @Test
  void moreThanAHundredEndpointsAreSplitAcrossSlicesWhoseNamesOutliveChangesOfTheirGuests() {
    List<Unikernel> guests = new ArrayList<>();
    IntStream.range(0, 250).forEach(i -> guests.add(guest("g" + i, "10.240.1." + (i + 2), true, HTTP_8080)));
    List<EndpointSlice> slices = EndpointSlices.desired(service(new IntOrString(8080)), guests);
    assertThat(slices).extracting(s -> s.getEndpoints().size()).containsExactly(100, 100, 50);

    // A guest gone and another unready: the same slices are rewritten, none is replaced under a new name.
    guests.remove(7);
    guests.set(20, guest("g20", "10.240.1.22", false, HTTP_8080));
    List<EndpointSlice> after = EndpointSlices.desired(service(new IntOrString(8080)), guests);
    assertThat(after).extracting(s -> s.getMetadata().getName())
        .containsExactlyElementsOf(slices.stream().map(s -> s.getMetadata().getName()).toList());
    assertThat(after).extracting(s -> s.getEndpoints().size()).containsExactly(100, 100, 49);
  }

  @Test
  void publishNotReadyAddressesMakesEveryEndpointReady() {
    Service service = service(new IntOrString(8080));
    service.getSpec().setPublishNotReadyAddresses(true);
    Endpoint endpoint = EndpointSlices.desired(service, List.of(guest("a", "10.240.1.2", false, HTTP_8080))).get(0)
        .getEndpoints().get(0);
    assertThat(endpoint.getConditions().getReady()).isTrue();
    assertThat(endpoint.getConditions().getServing()).isFalse();
  }

  private static io.unikernetes.api.v1alpha1.UnikernelDeployment deployment(Map<String, String> templateLabels) {
    var deployment = new io.unikernetes.api.v1alpha1.UnikernelDeployment();
    deployment.getMetadata().setName("web");
    deployment.getMetadata().setNamespace("shop");
    var spec = new io.unikernetes.api.v1alpha1.spec.UnikernelDeploymentSpec();
    spec.setSelector(new io.fabric8.kubernetes.api.model.LabelSelectorBuilder().withMatchLabels(Map.of("tier", "front"))
        .build());
    var template = new io.unikernetes.api.v1alpha1.spec.UnikernelTemplate();
    var metadata = new io.unikernetes.api.v1alpha1.spec.UnikernelTemplate.Metadata();
    metadata.setLabels(templateLabels);
    template.setMetadata(metadata);
    spec.setTemplate(template);
    deployment.setSpec(spec);
    return deployment;
  }

  @Test
  void aServiceFrontsADeploymentWhenItsSelectorIsWithinTheGuestsTemplateAndSelectorLabels() {
    assertThat(EndpointSlices.fronts(service(new IntOrString(8080)), deployment(Map.of("app", "web")))).isTrue();
    assertThat(EndpointSlices.fronts(service(new IntOrString(8080)), deployment(Map.of("app", "shop")))).isFalse();
    Service bySelectorLabel = new ServiceBuilder(service(new IntOrString(8080))).editSpec()
        .withSelector(Map.of("tier", "front")).endSpec().build();
    assertThat(EndpointSlices.fronts(bySelectorLabel, deployment(Map.of()))).isTrue();
    Service elsewhere = new ServiceBuilder(service(new IntOrString(8080))).editMetadata().withNamespace("other")
        .endMetadata().build();
    assertThat(EndpointSlices.fronts(elsewhere, deployment(Map.of("app", "web")))).isFalse();
  }

  @Test
  void readyBackendsAreTheReadyGuestsAtTheirResolvedPortInNameOrder() {
    Service service = service(new IntOrString("http"));
    Unikernel terminating = guest("d", "10.240.1.5", true, HTTP_8080);
    terminating.getMetadata().setDeletionTimestamp("2026-12-06T00:00:00Z");
    var port = service.getSpec().getPorts().get(0);
    var backends = EndpointSlices.backends(port, EndpointSlices.readyGuests(service, port, List.of(
        guest("c", "10.240.1.4", true, HTTP_8080), guest("b", "10.240.1.3", false, HTTP_8080),
        guest("a", "10.240.1.2", true, HTTP_8080), guest("e", "10.240.1.6", true, List.of()), terminating)));

    assertThat(backends).containsExactly(new io.unikernetes.operator.activator.Backend("10.240.1.2", 8080),
        new io.unikernetes.operator.activator.Backend("10.240.1.4", 8080));
  }

  @Test
  void theActivatorSliceIsOneReadyEndpointAtTheActivatorWithItsPorts() {
    EndpointSlice slice = EndpointSlices.activatorSlice(service(new IntOrString(8080)), "10.0.0.7", List.of(
        new io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder().withName("http").withPort(40123)
            .withProtocol("TCP").build()));

    assertThat(slice.getMetadata().getName()).isEqualTo("web-uk-activator");
    assertThat(slice.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "web")
        .containsEntry("endpointslice.kubernetes.io/managed-by", "unikernetes.io");
    assertThat(slice.getEndpoints()).singleElement().satisfies(e -> {
      assertThat(e.getAddresses()).containsExactly("10.0.0.7");
      assertThat(e.getConditions().getReady()).isTrue();
    });
    assertThat(slice.getPorts()).extracting(EndpointPort::getPort).containsExactly(40123);
  }

  @Test
  void guestsOfADrainingDeploymentServeButAreNotReady() {
    Unikernel draining = guest("a", "10.240.1.2", true, HTTP_8080);
    draining.getMetadata().setOwnerReferences(List.of(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
        .withUid("deployment-uid").withController(true).build()));
    Endpoint endpoint = EndpointSlices.desired(service(new IntOrString(8080)), List.of(draining),
        java.util.Set.of("deployment-uid")).get(0).getEndpoints().get(0);
    assertThat(endpoint.getConditions().getReady()).isFalse();
    assertThat(endpoint.getConditions().getServing()).isTrue();
  }

  @Test
  void theActivatorStandsInOnlyForServicesKubeProxyMaps() {
    Service headless = new ServiceBuilder(service(new IntOrString(8080))).editSpec().withClusterIP("None")
        .endSpec().build();
    assertThat(EndpointSlices.proxied(service(new IntOrString(8080)))).isTrue();
    assertThat(EndpointSlices.proxied(headless)).isFalse();
  }
}
