package io.unikernetes.e2e.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.local.controlplane.KubeCluster;
import io.unikernetes.local.process.CommandResult;
import io.unikernetes.e2e.support.TestEnvironment;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The CRDs on a real API server: installed, explained, defaulted, and rejecting bad input by field. */
class ApiValidationIT {

  private static final String NS = "api-validation";
  private static final String SHA = "5a".repeat(32);
  private static TestEnvironment env;

  @BeforeAll
  static void setUp() throws Exception {
    env = TestEnvironment.get();
    env.createNamespace(NS);
  }

  private static String manifest(String name, String specBody) {
    return """
        apiVersion: unikernetes.io/v1alpha1
        kind: Unikernel
        metadata:
          name: %s
          namespace: %s
        spec:
        %s
        """.formatted(name, NS, specBody.indent(2));
  }

  private static String image() {
    return "image:\n  url: https://images.example.org/hello.elf\n  sha256: " + SHA + "\n";
  }

  private static CommandResult apply(String yaml) throws Exception {
    return env.cluster().kubectl(yaml, "apply", "-f", "-");
  }

  @Test
  void crdsAreServedWithDescriptionsForKubectlExplain() throws Exception {
    var explain = env.cluster().kubectl(null, "explain", "unikernel.spec.image");
    assertThat(explain.exitCode()).as(explain.output()).isZero();
    assertThat(explain.stdout()).contains("The kernel image to boot").contains("pinned by digest")
        .contains("sha256").contains("url").contains("initrd").contains("reference");
    var reference = env.cluster().kubectl(null, "explain", "unikernel.spec.image.reference");
    assertThat(reference.stdout()).contains("An OCI image in a registry, pinned by digest");
    var pullSecrets = env.cluster().kubectl(null, "explain", "unikernel.spec.imagePullSecrets");
    assertThat(pullSecrets.stdout()).contains("kubernetes.io/dockerconfigjson");
    var volumes = env.cluster().kubectl(null, "explain", "unikernel.spec.volumes");
    assertThat(volumes.stdout()).contains("Block devices of the guest").contains("emptyDisk").contains("readOnly");
    var sha = env.cluster().kubectl(null, "explain", "unikernel.spec.image.sha256");
    assertThat(sha.stdout()).contains("64 lowercase hex characters");
    var node = env.cluster().kubectl(null, "explain", "xennode.status.allocatable");
    assertThat(node.stdout()).contains("Resources the scheduler may hand to guests");
    var shortName = env.cluster().kubectl(null, "get", "uk", "-n", NS);
    assertThat(shortName.exitCode()).as(shortName.output()).isZero();
  }

  @Test
  void anOciReferencePinnedByDigestIsAccepted() throws Exception {
    var result = apply(manifest("oci", "image:\n  reference: registry.example.org:5000/team/app:v1@sha256:" + SHA
        + "\nimagePullSecrets:\n- name: regcred\nnodeSelector:\n  nowhere: \"true\"\n"));
    assertThat(result.exitCode()).as(result.output()).isZero();
    Unikernel stored = env.client().resources(Unikernel.class).inNamespace(NS).withName("oci").get();
    assertThat(stored.getSpec().getImage().getReference()).endsWith("@sha256:" + SHA);
    assertThat(stored.getSpec().getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("regcred");
  }

  @Test
  void volumesOfEachKindAreAccepted() throws Exception {
    var result = apply(manifest("disks", image() + "volumes:\n- name: root\n  image:\n    reference: "
        + "registry.example.org/team/disk@sha256:" + SHA + "\n- name: assets\n  readOnly: true\n  image:\n"
        + "    url: https://x.org/assets.img\n    sha256: " + SHA + "\n- name: scratch\n  emptyDisk:\n"
        + "    capacity: 64Mi\nnodeSelector:\n  nowhere: \"true\"\n"));
    assertThat(result.exitCode()).as(result.output()).isZero();
    Unikernel stored = env.client().resources(Unikernel.class).inNamespace(NS).withName("disks").get();
    assertThat(stored.getSpec().getVolumes()).extracting(v -> v.getName()).containsExactly("root", "assets", "scratch");
    assertThat(stored.getSpec().getVolumes().get(2).getEmptyDisk().getCapacity()).isEqualTo("64Mi");
  }

  @Test
  void theApiServerFillsInDefaults() throws Exception {
    var result = apply(manifest("defaults", image() + "nodeSelector:\n  nowhere: \"true\"\nports:\n- name: dns\n  port: 53\n- port: 80\n"
        + "readinessProbe:\n  httpGet:\n    port: dns\nlivenessProbe:\n  tcpSocket:\n    port: 80\n"));
    assertThat(result.exitCode()).as(result.output()).isZero();
    Unikernel stored = env.client().resources(Unikernel.class).inNamespace(NS).withName("defaults").get();
    assertThat(stored.getSpec().getMemory()).isEqualTo("32Mi");
    assertThat(stored.getSpec().getVcpus()).isEqualTo(1);
    assertThat(stored.getSpec().getBootMode()).hasToString("PVH");
    assertThat(stored.getSpec().getRestartPolicy()).hasToString("Always");
    assertThat(stored.getSpec().getPorts()).extracting(p -> p.getProtocol().name()).containsExactly("TCP", "TCP");
    var readiness = stored.getSpec().getReadinessProbe();
    assertThat(readiness.getHttpGet().getPath()).isEqualTo("/");
    assertThat(List.of(readiness.getInitialDelaySeconds(), readiness.getPeriodSeconds(), readiness.getTimeoutSeconds(),
        readiness.getSuccessThreshold(), readiness.getFailureThreshold())).containsExactly(0, 10, 1, 1, 3);
  }

  static Stream<Arguments> invalidManifests() {
    return Stream.of(
        Arguments.of("missing image", "memory: 32Mi\n", "spec.image: Required value"),
        Arguments.of("missing digest", "image:\n  url: https://x.org/k.elf\n",
            "spec.image: Invalid value: \"object\": image.sha256 pins image.url: set both"),
        Arguments.of("empty image", "image: {}\n",
            "spec.image: Invalid value: \"object\": set exactly one of image.url (with image.sha256) and image.reference"),
        Arguments.of("url and reference", image() + "  reference: registry.example.org/team/app@sha256:" + SHA + "\n",
            "set exactly one of image.url (with image.sha256) and image.reference"),
        Arguments.of("tag without digest", "image:\n  reference: registry.example.org/team/app:latest\n",
            "spec.image.reference: Invalid value: \"string\": image.reference must be pinned by digest: append "
                + "@sha256:<64 hex digits>"),
        Arguments.of("reference without registry", "image:\n  reference: app@sha256:" + SHA + "\n",
            "image.reference must be registry-host[:port]/repository[:tag]@sha256:<digest>"),
        Arguments.of("uppercase repository", "image:\n  reference: registry.example.org/Team/App@sha256:" + SHA + "\n",
            "with a lowercase repository path"),
        Arguments.of("initrd with reference", "image:\n  reference: registry.example.org/team/app@sha256:" + SHA
            + "\n  initrd:\n    url: https://x.org/root.cpio\n    sha256: " + SHA + "\n",
            "image.initrd cannot be combined with image.reference: the OCI image carries its own initrd"),
        Arguments.of("nameless pull secret", image() + "imagePullSecrets:\n- {}\n",
            "each imagePullSecrets entry needs the name of a Secret in the guest's namespace"),
        Arguments.of("short digest", "image:\n  url: https://x.org/k.elf\n  sha256: abc123\n",
            "spec.image.sha256: Invalid value: \"string\": sha256 must be the 64 lowercase hex characters"),
        Arguments.of("uppercase digest", "image:\n  url: https://x.org/k.elf\n  sha256: " + "A".repeat(64) + "\n",
            "spec.image.sha256"),
        Arguments.of("ftp url", "image:\n  url: ftp://x.org/k.elf\n  sha256: " + SHA + "\n",
            "spec.image.url: Invalid value: \"string\": url must be an http:// or https:// URL"),
        Arguments.of("memory unit", image() + "memory: 64MB\n", "spec.memory: Invalid value: \"64MB\": spec.memory in body should match"),
        Arguments.of("memory too small", image() + "memory: 2Mi\n", "spec.memory: Invalid value: \"string\": memory must be between 4Mi and 256Gi"),
        Arguments.of("memory too large", image() + "memory: 512Gi\n", "spec.memory: Invalid value: \"string\": memory must be between 4Mi and 256Gi"),
        Arguments.of("no vcpus", image() + "vcpus: 0\n", "spec.vcpus: Invalid value: 0: spec.vcpus in body should be greater than or equal to 1"),
        Arguments.of("too many vcpus", image() + "vcpus: 65\n", "spec.vcpus: Invalid value: 65: spec.vcpus in body should be less than or equal to 64"),
        Arguments.of("cpu not a quantity", image() + "resources:\n  requests:\n    cpu: lots\n",
            "spec.resources.requests.cpu: Invalid value: \"\": cpu must be a quantity from 0 to 64"),
        Arguments.of("negative cpu", image() + "resources:\n  requests:\n    cpu: -100m\n",
            "spec.resources.requests.cpu: Invalid value: \"\": cpu must be a quantity from 0 to 64"),
        Arguments.of("too much cpu", image() + "resources:\n  requests:\n    cpu: 65\n",
            "spec.resources.requests.cpu: Invalid value: \"\": cpu must be a quantity from 0 to 64"),
        Arguments.of("memory request", image() + "resources:\n  requests:\n    memory: 64Mi\n",
            "unknown field \"spec.resources.requests.memory\""),
        Arguments.of("unknown boot mode", image() + "bootMode: kvm\n", "spec.bootMode: Unsupported value: \"kvm\""),
        Arguments.of("unknown restart policy", image() + "restartPolicy: Sometimes\n",
            "spec.restartPolicy: Unsupported value: \"Sometimes\""),
        Arguments.of("newline in cmdline", image() + "cmdline: \"a\\nb\"\n",
            "spec.cmdline: Invalid value: \"string\": cmdline must not contain control characters"),
        Arguments.of("cmdline too long", image() + "cmdline: " + "x".repeat(1025) + "\n",
            "spec.cmdline: Too long: may not be more than 1024"),
        Arguments.of("bad node name", image() + "nodeName: Xen_01\n", "spec.nodeName: Invalid value: \"Xen_01\""),
        Arguments.of("initrd without digest", "image:\n  url: https://x.org/k.elf\n  sha256: " + SHA
            + "\n  initrd:\n    url: https://x.org/root.cpio\n", "spec.image.initrd.sha256: Required value"),
        Arguments.of("initrd ftp url", "image:\n  url: https://x.org/k.elf\n  sha256: " + SHA
            + "\n  initrd:\n    url: ftp://x.org/root.cpio\n    sha256: " + SHA + "\n",
            "spec.image.initrd.url: Invalid value: \"string\": url must be an http:// or https:// URL"),
        Arguments.of("probe with two handlers", image() + "readinessProbe:\n  tcpSocket:\n    port: 80\n  httpGet:\n    port: 80\n",
            "spec.readinessProbe: Invalid value: \"object\": a probe needs exactly one handler: tcpSocket or httpGet"),
        Arguments.of("probe without handler", image() + "livenessProbe:\n  periodSeconds: 5\n",
            "spec.livenessProbe: Invalid value: \"object\": a probe needs exactly one handler"),
        Arguments.of("probe port zero", image() + "readinessProbe:\n  tcpSocket:\n    port: 0\n",
            "spec.readinessProbe: Invalid value: \"object\": readinessProbe port must be 1 to 65535 or the name of one of spec.ports"),
        Arguments.of("probe port name not declared", image() + "ports:\n- name: http\n  port: 8080\nlivenessProbe:\n  httpGet:\n    port: metrics\n",
            "spec.livenessProbe: Invalid value: \"object\": livenessProbe port must be 1 to 65535 or the name of one of spec.ports"),
        Arguments.of("liveness success threshold", image() + "livenessProbe:\n  tcpSocket:\n    port: 80\n  successThreshold: 2\n",
            "spec.livenessProbe.successThreshold: Invalid value: \"object\": livenessProbe.successThreshold must be 1"),
        Arguments.of("probe period zero", image() + "readinessProbe:\n  tcpSocket:\n    port: 80\n  periodSeconds: 0\n",
            "spec.readinessProbe.periodSeconds: Invalid value: 0: spec.readinessProbe.periodSeconds in body should be greater than or equal to 1"),
        Arguments.of("probe path without slash", image() + "readinessProbe:\n  httpGet:\n    port: 80\n    path: healthz\n",
            "spec.readinessProbe.httpGet.path: Invalid value: \"string\": path must start with '/'"),
        Arguments.of("probe header with a newline", image() + "readinessProbe:\n  httpGet:\n    port: 80\n    httpHeaders:\n    - name: X-A\n      value: \"a\\nb\"\n",
            "spec.readinessProbe.httpGet.httpHeaders[0].value: Invalid value: \"string\": a header value must not contain control characters"),
        Arguments.of("volume without source", image() + "volumes:\n- name: data\n",
            "spec.volumes[0]: Invalid value: \"object\": a volume needs exactly one source: image (a disk image) or emptyDisk"),
        Arguments.of("volume with two sources", image() + "volumes:\n- name: data\n  emptyDisk:\n    capacity: 1Gi\n"
            + "  image:\n    url: https://x.org/d.img\n    sha256: " + SHA + "\n",
            "spec.volumes[0]: Invalid value: \"object\": a volume needs exactly one source"),
        Arguments.of("read-only blank disk", image() + "volumes:\n- name: data\n  readOnly: true\n  emptyDisk:\n    capacity: 1Gi\n",
            "spec.volumes[0]: Invalid value: \"object\": an emptyDisk cannot be readOnly"),
        Arguments.of("disk capacity unit", image() + "volumes:\n- name: data\n  emptyDisk:\n    capacity: 10GB\n",
            "spec.volumes[0].emptyDisk.capacity: Invalid value: \"10GB\""),
        Arguments.of("disk without digest", image() + "volumes:\n- name: data\n  image:\n    url: https://x.org/d.img\n",
            "spec.volumes[0].image: Invalid value: \"object\": image.sha256 pins image.url"),
        Arguments.of("disk tag without digest", image() + "volumes:\n- name: data\n  image:\n    reference: registry.example.org/team/disk:v1\n",
            "spec.volumes[0].image.reference: Invalid value: \"string\": image.reference must be pinned by digest"),
        Arguments.of("volume name not a DNS label", image() + "volumes:\n- name: Data_1\n  emptyDisk:\n    capacity: 1Gi\n",
            "spec.volumes[0].name: Invalid value: \"Data_1\""),
        Arguments.of("duplicate volume names", image() + "volumes:\n- name: data\n  emptyDisk:\n    capacity: 1Gi\n"
            + "- name: data\n  emptyDisk:\n    capacity: 2Gi\n",
            "spec.volumes: Invalid value: \"array\": volume names must be unique within the guest"),
        Arguments.of("port zero", image() + "ports:\n- port: 0\n",
            "spec.ports[0].port: Invalid value: 0: spec.ports[0].port in body should be greater than or equal to 1"),
        Arguments.of("port too high", image() + "ports:\n- port: 65536\n",
            "spec.ports[0].port: Invalid value: 65536: spec.ports[0].port in body should be less than or equal to 65535"),
        Arguments.of("port without number", image() + "ports:\n- name: http\n", "spec.ports[0].port: Required value"),
        Arguments.of("unknown protocol", image() + "ports:\n- port: 80\n  protocol: SCTP\n",
            "spec.ports[0].protocol: Unsupported value: \"SCTP\""),
        Arguments.of("port name not a DNS label", image() + "ports:\n- name: Http_Port\n  port: 80\n",
            "spec.ports[0].name: Invalid value: \"Http_Port\""),
        Arguments.of("port name too long", image() + "ports:\n- name: a-very-long-port-name\n  port: 80\n",
            "spec.ports[0].name: Too long: may not be more than 15"),
        Arguments.of("port name without a letter", image() + "ports:\n- name: \"8080\"\n  port: 8080\n",
            "spec.ports[0].name: Invalid value: \"string\": a port name must contain a letter"),
        Arguments.of("duplicate port names", image() + "ports:\n- name: http\n  port: 80\n- name: http\n  port: 81\n",
            "spec.ports: Invalid value: \"array\": port names must be unique within the guest"),
        Arguments.of("duplicate port", image() + "ports:\n- port: 80\n- port: 80\n  protocol: TCP\n",
            "spec.ports: Invalid value: \"array\": each port and protocol may be listed once"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidManifests")
  void invalidInputIsRejectedNamingTheField(String title, String spec, String expected) throws Exception {
    var result = apply(manifest("bad-" + title.replace(' ', '-'), spec));
    assertThat(result.exitCode()).as("accepted: %s", title).isNotZero();
    assertThat(result.stderr()).contains(expected);
  }

  @Test
  void aDeploymentKeepsItsGuestsRunning() throws Exception {
    String deployment = """
        apiVersion: unikernetes.io/v1alpha1
        kind: UnikernelDeployment
        metadata:
          name: one-shot
          namespace: %s
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: one-shot
          template:
            metadata:
              labels:
                app: one-shot
            spec:
              restartPolicy: Never
              image:
                url: https://images.example.org/hello.elf
                sha256: %s
        """.formatted(NS, SHA);
    var result = apply(deployment);
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("spec.template.spec.restartPolicy: Invalid value: \"object\": "
        + "a UnikernelDeployment keeps its guests running: template.spec.restartPolicy must be Always");
    var noSelector = apply(deployment.replace("restartPolicy: Never", "restartPolicy: Always")
        .replace("    matchLabels:\n      app: one-shot\n", "    matchExpressions: []\n"));
    assertThat(noSelector.stderr()).contains("spec.selector: Invalid value: \"object\": selector must have matchLabels");
  }

  private static String deployment(String name, String labels, String rollingUpdate) {
    return """
        apiVersion: unikernetes.io/v1alpha1
        kind: UnikernelDeployment
        metadata:
          name: %s
          namespace: %s
        spec:
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
        %s
            spec:
              # Never scheduled: a guest of this deployment on another test's node would fill it, and its
              # agent would try to fetch this image from outside.
              nodeSelector:
                nowhere: "true"
              image:
                url: https://images.example.org/hello.elf
                sha256: %s
          strategy:
            rollingUpdate:
        %s
        """.formatted(name, NS, labels.indent(8), SHA, rollingUpdate.indent(6));
  }

  static Stream<Arguments> invalidDeployments() {
    return Stream.of(
        Arguments.of("surge not a number", "app: web", "maxSurge: lots\nmaxUnavailable: 1",
            "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"\": maxSurge must be a non-negative number"),
        Arguments.of("negative unavailable", "app: web", "maxSurge: 1\nmaxUnavailable: -1",
            "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"\": maxUnavailable must be a non-negative"),
        Arguments.of("unavailable over 100%", "app: web", "maxSurge: 1\nmaxUnavailable: 150%",
            "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"\": maxUnavailable must be"),
        Arguments.of("both zero", "app: web", "maxSurge: 0\nmaxUnavailable: 0%",
            "spec.strategy.rollingUpdate: Invalid value: \"object\": maxSurge and maxUnavailable cannot both be 0"),
        Arguments.of("selector contradicts template", "app: api", "maxSurge: 1",
            "spec.template.metadata.labels: Invalid value: \"object\": template.metadata.labels contradicts "
                + "spec.selector.matchLabels"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidDeployments")
  void invalidDeploymentsAreRejectedNamingTheField(String title, String labels, String rollingUpdate,
      String expected) throws Exception {
    var result = apply(deployment("bad-" + title.replace(' ', '-').replace("%", ""), labels, rollingUpdate));
    assertThat(result.exitCode()).as("accepted: %s", title).isNotZero();
    assertThat(result.stderr()).contains(expected);
  }

  @Test
  void validRolloutBoundsAreAccepted() throws Exception {
    var result = apply(deployment("bounds-ok", "app: web\ntier: front", "maxSurge: 0\nmaxUnavailable: 100%"));
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void aBoundNodeNameAndTheGuestDefinitionAreImmutable() throws Exception {
    var created = apply(manifest("pinned", image() + "nodeName: nowhere\ncmdline: one\n"));
    assertThat(created.exitCode()).as(created.output()).isZero();
    var moved = apply(manifest("pinned", image() + "nodeName: elsewhere\ncmdline: one\n"));
    assertThat(moved.exitCode()).isNotZero();
    assertThat(moved.stderr()).contains("spec: Invalid value: \"object\": nodeName cannot be changed or removed once set");
    var edited = apply(manifest("pinned", image() + "nodeName: nowhere\ncmdline: two\n"));
    assertThat(edited.exitCode()).isNotZero();
    assertThat(edited.stderr()).contains("spec.cmdline: Invalid value: \"object\": cmdline is immutable");
    var unplugged = apply(manifest("pinned", image() + "nodeName: nowhere\ncmdline: one\nnetwork: none\n"));
    assertThat(unplugged.exitCode()).isNotZero();
    assertThat(unplugged.stderr()).contains("spec.network: Invalid value: \"object\": network is immutable");
    var ported = apply(manifest("pinned", image() + "nodeName: nowhere\ncmdline: one\nports:\n- port: 80\n"));
    assertThat(ported.exitCode()).isNotZero();
    assertThat(ported.stderr()).contains("spec.ports: Invalid value: \"object\": ports are immutable");
    var requested = apply(manifest("pinned", image() + "nodeName: nowhere\ncmdline: one\nresources:\n  requests:\n    cpu: 1\n"));
    assertThat(requested.exitCode()).isNotZero();
    assertThat(requested.stderr()).contains("spec.resources: Invalid value: \"object\": resources are immutable");
    var disked = apply(manifest("pinned", image() + "nodeName: nowhere\ncmdline: one\nvolumes:\n- name: scratch\n"
        + "  emptyDisk:\n    capacity: 1Gi\n"));
    assertThat(disked.exitCode()).isNotZero();
    assertThat(disked.stderr()).contains("spec.volumes: Invalid value: \"object\": volumes are immutable");
  }

  @Test
  void cpuRequestsAreQuantitiesAsForPods() throws Exception {
    var result = apply(manifest("cpu-int", image() + "resources:\n  requests:\n    cpu: 2\n")
        + "---\n" + manifest("cpu-milli", image() + "resources:\n  requests:\n    cpu: 250m\n")
        + "---\n" + manifest("cpu-decimal", image() + "resources:\n  requests:\n    cpu: \"0.5\"\n"));
    assertThat(result.exitCode()).as(result.output()).isZero();
    var guests = env.client().resources(Unikernel.class).inNamespace(NS);
    assertThat(guests.withName("cpu-int").get().getSpec().cpuRequest().millis()).isEqualTo(2000);
    assertThat(guests.withName("cpu-milli").get().getSpec().cpuRequest().millis()).isEqualTo(250);
    assertThat(guests.withName("cpu-decimal").get().getSpec().cpuRequest().millis()).isEqualTo(500);
    assertThat(guests.withName("cpu-decimal").get().getSpec().resolved().cpuRequest()).hasToString("500m");
  }
}
