package io.unikernetes.e2e.xen;

import static io.unikernetes.e2e.support.Guests.awaitPhase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import io.unikernetes.api.v1alpha1.status.XenNodeStatus;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.agent.network.GuestMacs;
import io.unikernetes.api.v1alpha1.spec.BootMode;
import io.unikernetes.api.v1alpha1.spec.DiskSource;
import io.unikernetes.api.v1alpha1.spec.GuestVolume;
import io.unikernetes.api.v1alpha1.spec.NetworkMode;
import io.unikernetes.api.v1alpha1.spec.HttpGetAction;
import io.unikernetes.api.v1alpha1.spec.InitrdSource;
import io.unikernetes.api.v1alpha1.spec.Probe;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.spec.RestartPolicy;
import io.unikernetes.api.v1alpha1.status.Condition;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.e2e.controlplane.HelmBinary;
import io.unikernetes.e2e.network.ServingGuests;
import io.unikernetes.local.process.CommandResult;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.e2e.support.HelloImage;
import io.unikernetes.e2e.support.TestEnvironment;
import io.unikernetes.e2e.support.Virsh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole chain on a real Xen: Xen 4.17 and a Debian dom0 nested in QEMU (hack/boot-xen-host.sh), the
 * xen-agent running in dom0 under systemd with the shipped unit, on xen:///system with the chart's
 * external-agent credentials,
 * talking to the API server on this machine; the operator and control plane run here. Guests are the hello
 * unikernel as a PVH and as a PV domU; their READY line comes through the Xen PV console and xenconsoled.
 */
class XenGuestE2E {

  private static final String NS = "xen-e2e";
  private static final String NODE = "xen-e2e-host";
  private static final Map<String, String> ON_XEN = Map.of("pool", "xen-e2e");
  /** The agent's /readyz in dom0, through bash's /dev/tcp (dom0 has no curl). */
  private static final String AGENT_READY = "bash -c 'exec 3<>/dev/tcp/127.0.0.1/8081 && printf \"GET /readyz "
      + "HTTP/1.0\\r\\n\\r\\n\" >&3 && head -n 1 <&3' 2>/dev/null";
  /** The serving guest's kernel (Debian's bzImage) is unpacked into guest memory by Xen's PV loader. */
  private static final String SERVING_MEMORY = "128Mi";
  private static final String RESERVED_MEMORY = "64Mi";
  /** Emulated Xen is slow, and a host under load slower still. */
  private static final Duration TIMEOUT = Duration.ofSeconds(240);
  private static final Duration HEARTBEAT = Duration.ofSeconds(20);
  private static final Duration RESYNC = Duration.ofSeconds(10);
  private static TestEnvironment env;
  private static KubernetesClient client;
  private static XenHost xen;
  private static Virsh virsh;
  private static ImageSource pvh;
  private static ImageSource pv;
  private static ServingGuests.Images serving;
  private static ImageSource servingKernel;
  private static DiskSource servingDisk;
  private static final List<String> timings = new ArrayList<>();

  @BeforeAll
  static void bootXenHost() throws Exception {
    env = TestEnvironment.get();
    client = env.client();
    env.createNamespace(NS);
    Path work = env.newWorkDir("xen");

    Instant imageStart = Instant.now();
    Path image = XenHost.image(env.repository());
    timings.add("image build (or cache hit) " + secondsSince(imageStart));

    Path files = Dom0Agent.install(env.repository(), env.cluster(), HelmBinary.locate(env.repository().root()),
        TestEnvironment.NODE_LEASES, "xen-e2e", Map.of(
            "UNIKERNETES_NODE_NAME", NODE,
            "UNIKERNETES_NODE_LABELS", "pool=xen-e2e",
            "UNIKERNETES_HEARTBEAT_NAMESPACE", TestEnvironment.NODE_LEASES,
            // On top of dom0's 2 GiB, which the agent reads from Xen: Xen's own share.
            "UNIKERNETES_RESERVED_MEMORY", RESERVED_MEMORY,
            // A killed agent must be back before its Lease (4 x heartbeat) runs out, or its guests count as lost.
            "UNIKERNETES_HEARTBEAT_SECONDS", String.valueOf(HEARTBEAT.toSeconds()),
            "UNIKERNETES_RESYNC_SECONDS", String.valueOf(RESYNC.toSeconds()),
            // The agent keeps a libvirt network in dom0: the bridge, its gateway and DHCP for the guests' vifs.
            "UNIKERNETES_GUEST_BRIDGE", "ukbr0",
            "UNIKERNETES_GUEST_NETWORK", "unikernetes",
            "JAVA_TOOL_OPTIONS", "\"-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx192m\""),
        work.resolve("dom0-files"), work);

    Instant bootStart = Instant.now();
    xen = XenHost.boot(env.repository(), image, work, files, TIMEOUT);
    timings.add("Xen + dom0 ready (xl, libvirt, sshd) " + secondsSince(bootStart));
    virsh = new Virsh(xen.libvirtUri());
    await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
      XenNode node = client.resources(XenNode.class).withName(NODE).get();
      return node != null && node.getStatus() != null
          && Conditions.isTrue(node.getStatus().getConditions(), ConditionType.Ready);
    });
    timings.add("agent in dom0 registered its XenNode " + secondsSince(bootStart));
    assertAllocatableIsNetOfDom0(client.resources(XenNode.class).withName(NODE).get());
    pvh = dom0Reachable(HelloImage.get());
    pv = dom0Reachable(HelloImage.pv());
    serving = ServingGuests.serve(env.repository());
    servingKernel = dom0Reachable(serving.kernel());
    servingKernel.setInitrd(new InitrdSource(XenHost.asSeenFromDom0(serving.kernel().getInitrd().getUrl()),
        serving.kernel().getInitrd().getSha256()));
    servingDisk = new DiskSource(XenHost.asSeenFromDom0(serving.disk().getUrl()), serving.disk().getSha256());
  }

  /**
   * Allocatable memory is the machine's less dom0's memory as Xen reports it (dom0_mem=2048M) and the agent's
   * reservation, not libvirt's machine total; each guest is charged Xen's per-domain overhead on top.
   */
  private static void assertAllocatableIsNetOfDom0(XenNode node) {
    XenNodeStatus status = node.getStatus();
    MemorySize capacity = MemorySize.parse(status.getCapacity().getMemory());
    MemorySize allocatable = MemorySize.parse(status.getAllocatable().getMemory());
    MemorySize dom0 = capacity.minus(allocatable).minus(MemorySize.parse(RESERVED_MEMORY));
    System.out.println("[xen-e2e] capacity " + capacity + ", allocatable " + allocatable + ", dom0 as Xen reports it "
        + dom0 + ", per-guest overhead " + status.getGuestOverhead().getMemory());
    assertThat(dom0.bytes()).isBetween(MemorySize.parse("1984Mi").bytes(), MemorySize.parse("2048Mi").bytes());
    assertThat(status.getGuestOverhead().getMemory()).isEqualTo("4Mi");
    assertThat(status.getCapacity().getCpu()).isEqualTo("2");
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      if (xen != null) {
        client.services().inNamespace(NS).delete();
        client.resources(Unikernel.class).inNamespace(NS).delete();
        await().atMost(TIMEOUT).until(() -> client.resources(Unikernel.class).inNamespace(NS).list().getItems()
            .isEmpty());
      }
    } finally {
      if (xen != null) {
        Files.writeString(env.newWorkDir("xen").resolve("agent.log"),
            xen.ssh("journalctl --no-pager -u " + Dom0Agent.UNIT).output());
        xen.close();
      }
      client.resources(XenNode.class).withName(NODE).delete();
      if (serving != null) {
        serving.close();
      }
      System.out.println("[xen-e2e] timings: " + String.join("; ", timings));
    }
  }

  private static ImageSource dom0Reachable(ImageSource image) {
    return new ImageSource(XenHost.asSeenFromDom0(image.getUrl()), image.getSha256());
  }

  private static String secondsSince(Instant start) {
    return String.format("%.1f s", Duration.between(start, Instant.now()).toMillis() / 1000.0);
  }

  private static String domainOf(Unikernel guest) {
    return Guests.domainOf(guest, NODE);
  }

  private static Unikernel create(String name, ImageSource image, BootMode mode, String cmdline, RestartPolicy policy) {
    return client.resource(newGuest(name, image, mode, cmdline, policy)).create();
  }

  private static Unikernel newGuest(String name, ImageSource image, BootMode mode, String cmdline,
      RestartPolicy policy) {
    Unikernel guest = Guests.guest(NS, name, image, "32Mi", ON_XEN);
    guest.getSpec().setBootMode(mode);
    guest.getSpec().setCmdline(cmdline);
    guest.getSpec().setRestartPolicy(policy);
    return guest;
  }

  private static String awaitReadyLine(String name) {
    return Guests.awaitReadyLine(client, NS, name, TIMEOUT);
  }

  /** The guest's console log as xenconsoled wrote it in dom0. */
  private static String xenConsoleLog(Unikernel guest) throws Exception {
    CommandResult cat = xen.ssh("cat /var/log/xen/console/guest-" + domainOf(guest) + ".log");
    assertThat(cat.exitCode()).as(cat.output()).isZero();
    return cat.stdout();
  }

  @Test
  void kubectlApplyBootsAPvhGuestOnXenAndKubectlDeleteRemovesItsDomain() throws Exception {
    String manifest = env.repository().example("hello.yaml", pvh)
        .replace("memory: 32Mi", "memory: 32Mi\n  nodeSelector:\n    pool: xen-e2e");
    var applied = env.cluster().kubectl(manifest, "apply", "-n", NS, "-f", "-");
    assertThat(applied.exitCode()).as(applied.output()).isZero();
    var waited = env.cluster().kubectl(null, "wait", "-n", NS, "--for=jsonpath={.status.phase}=Running",
        "--timeout=" + TIMEOUT.toSeconds() + "s", "unikernel/hello");
    assertThat(waited.exitCode()).as(waited.output()).isZero();

    Unikernel guest = Guests.get(client, NS, "hello");
    assertThat(guest.getSpec().getBootMode()).isEqualTo(BootMode.PVH);
    assertThat(guest.getStatus().getNodeName()).isEqualTo(NODE);
    assertThat(awaitReadyLine("hello")).isEqualTo("UNIKERNEL READY cmdline=hello from unikernetes");
    assertThat(xenConsoleLog(guest)).contains("UNIKERNEL READY cmdline=hello from unikernetes\n");
    assertThat(Guests.get(client, NS, "hello").getStatus().getBootDurationMillis()).isPositive();
    String domain = domainOf(guest);
    assertThat(virsh.run("domstate", domain)).isEqualTo("running");
    assertThat(virsh.run("domuuid", domain)).isEqualTo(guest.getStatus().getDomainUUID());
    assertThat(xen.ssh("xl list " + domain).exitCode()).isZero(); // a real Xen domain, not a libvirt fiction
    // An idle unikernel blocks in Xen: it costs no CPU, which is what lets a host pack many.
    double cpuBefore = cpuSeconds(domain);
    Thread.sleep(5_000);
    assertThat(cpuSeconds(domain) - cpuBefore).isLessThan(0.5);

    var deleted = env.cluster().kubectl(null, "delete", "-n", NS, "unikernel/hello",
        "--timeout=" + TIMEOUT.toSeconds() + "s");
    assertThat(deleted.exitCode()).as(deleted.output()).isZero();
    assertThat(virsh.allDomainNames()).doesNotContain(domain);
    assertThat(xen.ssh("virsh -c xen:///system list --all --name").stdout()).doesNotContain(domain);
  }

  @Test
  void restartingTheAgentInDom0LeavesTheGuestRunning() throws Exception {
    Unikernel created = create("survivor", pvh, BootMode.PVH, "survive agent restarts", RestartPolicy.Always);
    Unikernel before = awaitPhase(client, NS, "survivor", UnikernelPhase.Running, TIMEOUT);
    awaitReadyLine("survivor");
    String domain = domainOf(created);
    String idBefore = virsh.run("domid", domain);
    String agentBefore = xen.ssh("pgrep -f xen-agent.jar").stdout().trim();
    assertThat(agentBefore).isNotEmpty();

    assertThat(xen.ssh("pkill -KILL -f xen-agent.jar").exitCode()).isZero(); // a crash: no shutdown hook
    Instant killed = Instant.now();
    // systemd brings the agent back (Restart=always, RestartSec=5); it reads the world and adopts.
    await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
      String now = xen.ssh("pgrep -f xen-agent.jar").stdout().trim();
      return !now.isEmpty() && !now.equals(agentBefore);
    });
    // The old agent is dead: a renewal later than the last one seen now is the new agent's.
    Instant lastRenewal = heartbeatRenewal();
    await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> heartbeatRenewal().isAfter(lastRenewal)
        && xen.ssh(AGENT_READY).stdout().startsWith("HTTP/1.1 200"));
    timings.add("agent killed in dom0 -> new agent ready and renewing " + secondsSince(killed));
    // Two resync periods of the new agent, which has read every guest and domain it found.
    for (int period = 0; period < 2; period++) {
      Thread.sleep(RESYNC.toMillis());
      assertThat(virsh.run("domid", domain)).isEqualTo(idBefore);
    }
    assertThat(virsh.run("domid", domain)).isEqualTo(idBefore);
    Unikernel after = Guests.get(client, NS, "survivor");
    assertThat(after.getStatus().getPhase()).isEqualTo(UnikernelPhase.Running);
    assertThat(after.getStatus().getDomainUUID()).isEqualTo(before.getStatus().getDomainUUID());
    assertThat(after.getStatus().getRestartCount()).isZero();
    assertThat(Conditions.isTrue(after.getStatus().getConditions(), ConditionType.Ready)).isTrue();
    assertThat(xenConsoleLog(after).lines().filter(l -> l.startsWith("UNIKERNEL READY"))).hasSize(1);
  }

  /** When the agent last renewed its heartbeat Lease (by dom0's clock), or the epoch. */
  private static Instant heartbeatRenewal() {
    var lease = client.leases().inNamespace(TestEnvironment.NODE_LEASES).withName(NODE).get();
    return lease == null || lease.getSpec().getRenewTime() == null ? Instant.EPOCH
        : lease.getSpec().getRenewTime().toInstant();
  }

  /** CPU seconds the domain has used, from xl in dom0. */
  private static double cpuSeconds(String domain) throws Exception {
    String[] columns = xen.ssh("xl list " + domain + " | tail -n 1").stdout().trim().split("\\s+");
    return Double.parseDouble(columns[columns.length - 1]);
  }

  @Test
  void theAgentInDom0ActsAsTheChartsAgentServiceAccountOnly() throws Exception {
    String kubeconfig = Files.readString(env.newWorkDir("xen").resolve("dom0-files/etc/unikernetes/agent.kubeconfig"));
    String token = kubeconfig.lines().map(String::trim).filter(l -> l.startsWith("token:"))
        .map(l -> l.substring("token:".length()).trim()).findFirst().orElseThrow();
    Config asAgent = new ConfigBuilder(client.getConfiguration()).withOauthToken(token).withUsername(null)
        .withPassword(null).build();
    try (KubernetesClient agent = new KubernetesClientBuilder().withConfig(asAgent).build()) {
      assertThat(canI(agent, "update", "unikernels", "status")).isTrue();
      assertThat(canI(agent, "create", "xennodes", "")).isTrue();
      assertThat(canI(agent, "delete", "unikernels", "")).isFalse();
      assertThat(canI(agent, "get", "secrets", "")).isFalse();
    }
  }

  private static boolean canI(KubernetesClient as, String verb, String resource, String subresource) {
    var review = new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes()
        .withGroup(resource.equals("secrets") ? "" : "unikernetes.io").withResource(resource)
        .withSubresource(subresource).withVerb(verb).withNamespace(NS).endResourceAttributes().endSpec().build();
    return as.authorization().v1().selfSubjectAccessReview().create(review).getStatus().getAllowed();
  }

  @Test
  void aDestroyedGuestIsRestartedWithAFreshConsoleLog() throws Exception {
    Unikernel created = create("phoenix", pvh, BootMode.PVH, "rise again on xen", RestartPolicy.Always);
    awaitPhase(client, NS, "phoenix", UnikernelPhase.Running, TIMEOUT);
    awaitReadyLine("phoenix");
    String domain = domainOf(created);
    String idBefore = virsh.run("domid", domain);

    virsh.run("destroy", domain);
    Guests.awaitRunningAfterRestarts(client, NS, "phoenix", 1, TIMEOUT);
    assertThat(virsh.run("domid", domain)).isNotEqualTo(idBefore);
    // xenconsoled appends across boots of a domain; the agent moved the first boot's log aside.
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(xenConsoleLog(created).lines()
        .filter(l -> l.startsWith("UNIKERNEL READY"))).containsExactly("UNIKERNEL READY cmdline=rise again on xen"));
    // The restart's status write cleared the console head: this line is the second boot's.
    assertThat(awaitReadyLine("phoenix")).isEqualTo("UNIKERNEL READY cmdline=rise again on xen");
    CommandResult previous = xen.ssh("cat /var/log/xen/console/guest-" + domain + ".log.previous");
    assertThat(previous.stdout()).contains("UNIKERNEL READY cmdline=rise again on xen");
  }

  @Test
  void aPvGuestRunsOnXen() throws Exception {
    Unikernel created = create("classic", pv, BootMode.PV, "hello from a pv guest", RestartPolicy.Always);
    awaitPhase(client, NS, "classic", UnikernelPhase.Running, TIMEOUT);
    assertThat(awaitReadyLine("classic")).isEqualTo("UNIKERNEL READY cmdline=hello from a pv guest");
    assertThat(xen.ssh("xl list " + domainOf(created)).exitCode()).isZero();
    client.resource(created).delete();
    await().atMost(TIMEOUT).until(() -> Guests.get(client, NS, "classic") == null);
    assertThat(virsh.allDomainNames()).doesNotContain(domainOf(created));
  }

  @Test
  void aGuestThatPowersOffOnXenSucceeds() throws Exception {
    create("one-shot", pvh, BootMode.PVH, "poweroff", RestartPolicy.Never);
    Unikernel done = awaitPhase(client, NS, "one-shot", UnikernelPhase.Succeeded, TIMEOUT);
    assertThat(Conditions.find(done.getStatus().getConditions(), ConditionType.Ready).orElseThrow().getReason())
        .isEqualTo("GuestExited");
    assertThat(done.getStatus().getConsoleHead()).contains("UNIKERNEL POWEROFF");
  }

  /**
   * The serving guest booted from its disk on Xen: a PV domU whose root is a vbd (xvda) that QEMU's qdisk backend
   * in dom0 serves from the guest's qcow2 overlay of the cached image, with a blank second vbd.
   */
  @Test
  void aPvGuestBootsFromItsDiskThroughAnOverlayOnXen() throws Exception {
    Unikernel guest = Guests.guest(NS, "disk-root", servingKernel, SERVING_MEMORY, ON_XEN);
    guest.getSpec().setBootMode(BootMode.PV);
    guest.getSpec().setCmdline("console=hvc0 quiet uk.root=/dev/xvda uk.name=disk-root");
    guest.getSpec().setNetwork(NetworkMode.NONE);
    guest.getSpec().setVolumes(List.of(GuestVolume.image("root", servingDisk, false),
        GuestVolume.emptyDisk("scratch", "16Mi")));
    Unikernel created = client.resource(guest).create();
    awaitPhase(client, NS, "disk-root", UnikernelPhase.Running, TIMEOUT);
    String log = await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(2))
        .until(() -> xen.ssh("cat /var/log/xen/console/guest-" + domainOf(created) + ".log 2>/dev/null").stdout(),
            l -> l.contains("DISK BLANK"));
    assertThat(log).contains("DISK ROOT /dev/xvda serving guest root disk").contains("DISK WROTE /written-by-disk-root")
        .contains("DISK BLANK /dev/xvdb 16777216 bytes, starts with " + "00".repeat(16));

    String xml = virsh.run("dumpxml", domainOf(created));
    String guestDisks = "/var/lib/unikernetes/disks/" + created.getMetadata().getUid();
    assertThat(xml).contains("<source file='" + guestDisks + "/root.qcow2'/>").contains("<target dev='xvda' bus='xen'/>");
    String cached = "/var/lib/unikernetes/images/" + servingDisk.getSha256() + ".elf";
    assertThat(xen.ssh("qemu-img info " + guestDisks + "/root.qcow2").stdout()).contains("backing file: " + cached);
    assertThat(xen.ssh("sha256sum " + cached).stdout()).startsWith(servingDisk.getSha256());

    client.resource(created).delete();
    await().atMost(TIMEOUT).until(() -> Guests.get(client, NS, "disk-root") == null);
    assertThat(xen.ssh("test -e " + guestDisks).exitCode()).isNotZero();
  }

  @Test
  void applyToRunningOnXenTimings() {
    List<Long> millis = Guests.applyToRunningMillis(client, 5, run -> newGuest("timing-" + run, pvh, BootMode.PVH,
        "timing run " + run, RestartPolicy.Always), TIMEOUT);
    timings.add("apply -> Running on Xen PVH, 5 runs (ms) " + millis + ", p50 " + Guests.median(millis) + " ms");
    System.out.printf("apply -> Running on Xen PVH, 5 runs (ms): %s; p50 %d ms%n", millis, Guests.median(millis));
    assertThat(millis).hasSize(5).allMatch(ms -> ms > 0);
  }

  /** The serving guest as a PV domU on a vif, asking for its address by DHCP, with a readiness probe on /healthz. */
  private static Unikernel servingGuest(String name) {
    Unikernel guest = ServingGuests.dhcpGuest(NS, name, "xen-web", servingKernel, ON_XEN);
    guest.getSpec().setBootMode(BootMode.PV);
    guest.getSpec().setCmdline(guest.getSpec().getCmdline().replace("console=ttyS0", "console=hvc0"));
    guest.getSpec().setMemory(SERVING_MEMORY);
    Probe readiness = new Probe();
    readiness.setHttpGet(new HttpGetAction("/healthz", new IntOrString("http")));
    readiness.setPeriodSeconds(1);
    guest.getSpec().setReadinessProbe(readiness);
    return guest;
  }

  private static Optional<Condition> ready(String name) {
    return Guests.readyCondition(client, NS, name);
  }

  /** An HTTP GET from dom0 (bash's /dev/tcp: dom0 has no curl), the body only. */
  private static String getFromDom0(String ip, String path) throws Exception {
    return xen.ssh("bash -c 'exec 3<>/dev/tcp/" + ip + "/8080 && printf \"GET " + path
        + " HTTP/1.0\\r\\n\\r\\n\" >&3 && sed \"1,/^\\r*$/d\" <&3' 2>/dev/null").stdout().trim();
  }

  /**
   * The serving guest on a Xen vif behind dom0's bridge, which the agent's libvirt network made: it gets its
   * address by DHCP, the readiness probe (run by the agent in dom0) keeps it not Ready while it boots, and
   * once Ready it answers dom0 at the address in its status and in its Service's EndpointSlice. Then apply ->
   * Ready, five times.
   */
  @Test
  void aServingGuestOnAXenVifIsReadyOnceItAnswersAndBacksItsService() throws Exception {
    client.resource(new ServiceBuilder().withNewMetadata().withName("xen-web").withNamespace(NS).endMetadata()
        .withNewSpec().withSelector(Map.of("app", "xen-web"))
        .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
        .endSpec().build()).create();
    client.resource(servingGuest("xen-web")).create();
    // Running, not Ready: the domain runs, the probe has not passed (the guest needs seconds to boot).
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
      Unikernel g = Guests.get(client, NS, "xen-web");
      return g.getStatus() != null && g.getStatus().getPhase() == UnikernelPhase.Running
          && ready("xen-web").map(c -> "False".equals(c.getStatus().toString())
          && "ProbeFailed".equals(c.getReason())).orElse(false);
    });
    await().atMost(TIMEOUT).until(() -> ready("xen-web").map(c -> "True".equals(c.getStatus().toString()))
        .orElse(false));
    Unikernel guest = Guests.get(client, NS, "xen-web");
    String ip = guest.getStatus().getIp();
    assertThat(getFromDom0(ip, "/")).isEqualTo("hello from xen-web at " + ip); // its DHCP lease: the status' address
    String domain = domainOf(guest);
    assertThat(xen.ssh("xl network-list " + domain).stdout()).contains(GuestMacs.of(guest.getMetadata().getUid()));
    assertThat(xen.ssh("ip -o link show master ukbr0").stdout()).contains("vif");
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(client.discovery().v1().endpointSlices().inNamespace(NS)
        .withLabel("kubernetes.io/service-name", "xen-web")
        .withLabel("endpointslice.kubernetes.io/managed-by", "unikernetes.io").list().getItems().stream()
        .flatMap(slice -> slice.getEndpoints().stream())
        .filter(e -> e.getAddresses().contains(ip) && Boolean.TRUE.equals(e.getConditions().getReady()))
        .map(e -> e.getNodeName()).toList()).containsExactly(NODE));
    assertThat(getFromDom0(ip, "/healthz")).isEqualTo("ok");
    client.resource(guest).delete();
    await().atMost(TIMEOUT).until(() -> Guests.get(client, NS, "xen-web") == null);

    List<Long> millis = new ArrayList<>();
    for (int run = 1; run <= 5; run++) {
      String name = "xen-ready-" + run;
      Instant applied = Instant.now();
      client.resource(servingGuest(name)).create();
      await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> ready(name)
          .map(c -> "True".equals(c.getStatus().toString())).orElse(false));
      millis.add(Duration.between(applied, Instant.now()).toMillis());
      String address = Guests.get(client, NS, name).getStatus().getIp();
      assertThat(getFromDom0(address, "/healthz")).as(name + " Ready but not answering").isEqualTo("ok");
      client.resources(Unikernel.class).inNamespace(NS).withName(name).delete();
      await().atMost(TIMEOUT).until(() -> Guests.get(client, NS, name) == null);
    }
    timings.add("apply -> Ready (readiness probe passed) on Xen PV with a vif, 5 runs (ms) " + millis + ", p50 "
        + Guests.median(millis) + " ms");
    System.out.printf("apply -> Ready (readiness probe passed) on Xen PV with a vif, 5 runs (ms): %s; p50 %d ms%n",
        millis, Guests.median(millis));
  }
}
