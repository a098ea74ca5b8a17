package io.unikernetes.e2e.volumes;

import static io.unikernetes.e2e.support.Guests.awaitPhase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.DiskSource;
import io.unikernetes.api.v1alpha1.spec.GuestVolume;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.spec.NetworkMode;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.e2e.network.ServingGuests;
import io.unikernetes.local.process.AgentProcess;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.e2e.support.TestEnvironment;
import io.unikernetes.e2e.support.Virsh;
import io.unikernetes.local.artifacts.GuestImageServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Disks on real QEMU guests: the serving test guest boots from its 10 MiB ext4 disk (hack/build-serving-guest.sh,
 * uk.root=/dev/vda), through a copy-on-write overlay of the cached image, with a blank second disk; its console
 * says what it found on the disk and what it wrote. The agent runs as its own process on qemu:///system.
 */
class DiskVolumesE2E {

  private static final String NS = "disks-e2e";
  private static final String NODE = "disks-e2e-node";
  private static final String URI = "qemu:///system";
  private static final Map<String, String> POOL = Map.of("pool", "disks-e2e");
  /** The Linux guest under TCG, on a loaded machine: boots in 10-20 s. */
  private static final Duration TIMEOUT = Duration.ofSeconds(180);
  private static TestEnvironment env;
  private static KubernetesClient client;
  private static ServingGuests.Images serving;
  private static ImageSource kernel;
  private static DiskSource disk;
  private static Path agentState;
  private static AgentProcess agent;
  private static final Virsh virsh = new Virsh(URI);

  @BeforeAll
  static void setUp() throws Exception {
    env = TestEnvironment.get();
    client = env.client();
    env.createNamespace(NS);
    serving = ServingGuests.serve(env.repository());
    kernel = serving.kernel();
    disk = serving.disk();
    agentState = env.newWorkDir("disks-agent");
    agent = AgentProcess.start(env.repository(), env.cluster().kubeconfig(), NODE, URI, agentState, "pool=disks-e2e",
        TestEnvironment.NODE_LEASES, agentState.resolve("agent.log"));
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      client.resources(Unikernel.class).inNamespace(NS).delete();
      await().atMost(TIMEOUT).until(() -> client.resources(Unikernel.class).inNamespace(NS).list().getItems().isEmpty());
    } finally {
      if (agent != null) {
        agent.close();
      }
      client.resources(XenNode.class).withName(NODE).delete();
      if (serving != null) {
        serving.close();
      }
    }
  }

  private static Unikernel diskGuest(String name, List<GuestVolume> volumes) {
    Unikernel guest = Guests.guest(NS, name, kernel, "96Mi", POOL);
    guest.getSpec().setCmdline("console=ttyS0 quiet uk.root=/dev/vda uk.name=" + name);
    guest.getSpec().setNetwork(NetworkMode.NONE);
    guest.getSpec().setVolumes(volumes);
    return client.resource(guest).create();
  }

  /** The line of the guest's current boot that starts with {@code prefix}, once it printed one. */
  private static String awaitConsoleLine(Unikernel guest, String prefix) {
    Path log = agentState.resolve("consoles").resolve(guest.getMetadata().getUid() + ".log");
    return await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> consoleLine(log, prefix),
        Optional::isPresent).orElseThrow();
  }

  private static Optional<String> consoleLine(Path log, String prefix) throws Exception {
    if (!Files.exists(log)) {
      return Optional.empty();
    }
    return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().map(String::strip)
        .filter(l -> l.startsWith(prefix)).findFirst();
  }

  private static Path cachedFile(String sha256) {
    return agentState.resolve("images").resolve(sha256 + ".elf");
  }

  @Test
  void aGuestBootsFromItsDiskAndItsWritesStayInItsOwnOverlay() throws Exception {
    List<GuestVolume> volumes = List.of(GuestVolume.image("root", disk, false), GuestVolume.emptyDisk("scratch", "64Mi"));
    Unikernel one = diskGuest("one", volumes);
    awaitPhase(client, NS, "one", UnikernelPhase.Running, TIMEOUT);
    assertThat(awaitConsoleLine(one, "DISK ROOT")).isEqualTo("DISK ROOT /dev/vda serving guest root disk");
    assertThat(awaitConsoleLine(one, "DISK FOUND")).isEqualTo("DISK FOUND");
    assertThat(awaitConsoleLine(one, "DISK WROTE")).isEqualTo("DISK WROTE /written-by-one");
    // The blank disk: its capacity, all zeros.
    assertThat(awaitConsoleLine(one, "DISK BLANK"))
        .isEqualTo("DISK BLANK /dev/vdb 67108864 bytes, starts with " + "00".repeat(16));

    Path guestDisks = agentState.resolve("disks").resolve(one.getMetadata().getUid());
    String xml = virsh.run("dumpxml", Guests.domainOf(one, NODE));
    assertThat(xml).contains("<source file='" + guestDisks.resolve("root.qcow2") + "'")
        .contains("<source file='" + guestDisks.resolve("scratch.raw") + "'").contains("<serial>root</serial>");
    // The overlay reads through to the cached image, which stays exactly what the guest pinned.
    assertThat(Files.readString(guestDisks.resolve("root.qcow2"), StandardCharsets.ISO_8859_1))
        .startsWith("QFI").contains(cachedFile(disk.getSha256()).toString());
    assertThat(GuestImageServer.sha256Of(cachedFile(disk.getSha256()))).isEqualTo(disk.getSha256());

    // A second guest of the same image sees the pristine image, not the first guest's write.
    Unikernel two = diskGuest("two", volumes);
    awaitPhase(client, NS, "two", UnikernelPhase.Running, TIMEOUT);
    assertThat(awaitConsoleLine(two, "DISK FOUND")).isEqualTo("DISK FOUND");
    assertThat(awaitConsoleLine(two, "DISK WROTE")).isEqualTo("DISK WROTE /written-by-two");
    assertThat(GuestImageServer.sha256Of(cachedFile(disk.getSha256()))).isEqualTo(disk.getSha256());

    // The overlay lives as long as the guest, across its restarts: the next boot finds its own earlier write.
    virsh.run("destroy", Guests.domainOf(one, NODE));
    await().atMost(TIMEOUT).until(() -> Guests.get(client, NS, "one").getStatus().getRestartCount() == 1);
    assertThat(awaitConsoleLine(one, "DISK FOUND")).isEqualTo("DISK FOUND written-by-one");

    // ... and goes with it.
    client.resource(one).delete();
    await().atMost(TIMEOUT).until(() -> Guests.get(client, NS, "one") == null);
    assertThat(guestDisks).doesNotExist();
    assertThat(cachedFile(disk.getSha256())).exists();
  }

  @Test
  void aReadOnlyVolumeIsTheSharedImageItselfAndCannotBeWritten() throws Exception {
    Unikernel reader = diskGuest("reader", List.of(GuestVolume.image("root", disk, true)));
    awaitPhase(client, NS, "reader", UnikernelPhase.Running, TIMEOUT);
    assertThat(awaitConsoleLine(reader, "DISK ROOT")).isEqualTo("DISK ROOT /dev/vda serving guest root disk");
    assertThat(awaitConsoleLine(reader, "DISK READ-ONLY")).isEqualTo("DISK READ-ONLY");
    String xml = virsh.run("dumpxml", Guests.domainOf(reader, NODE));
    assertThat(xml).contains("<source file='" + cachedFile(disk.getSha256()) + "'").contains("<readonly/>");
    assertThat(agentState.resolve("disks").resolve(reader.getMetadata().getUid())).doesNotExist();
    assertThat(GuestImageServer.sha256Of(cachedFile(disk.getSha256()))).isEqualTo(disk.getSha256());
  }
}
