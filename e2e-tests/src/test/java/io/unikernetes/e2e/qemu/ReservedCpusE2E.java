package io.unikernetes.e2e.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.agent.UnikernetesAgent;
import io.unikernetes.agent.domain.CpuSet;
import io.unikernetes.agent.hypervisor.HostCpus;
import io.unikernetes.agent.network.GuestNetworkConfig;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.common.startup.StartupFailure;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.e2e.support.HelloImage;
import io.unikernetes.e2e.support.TestEnvironment;
import io.unikernetes.e2e.support.Virsh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * --reserved-cpus on real QEMU guests (qemu:///system): CPU 0 is kept for the host, so a guest's whole QEMU
 * process runs on the other CPUs, and the XenNode's allocatable CPU leaves CPU 0 out.
 */
class ReservedCpusE2E {

  private static final String NS = "reserved-cpus";
  private static final String NODE = "reserved-cpus-node";
  private static final String URI = "qemu:///system";
  private static final Map<String, String> POOL = Map.of("pool", "reserved-cpus");
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final Virsh virsh = new Virsh(URI);
  private static TestEnvironment env;
  private static KubernetesClient client;
  private static UnikernetesAgent agent;
  private static CpuSet hostCpus;

  @BeforeAll
  static void setUp() throws Exception {
    env = TestEnvironment.get();
    client = env.client();
    env.createNamespace(NS);
    int active = Integer.parseInt(virsh.run("nodeinfo").lines().filter(l -> l.startsWith("CPU(s):"))
        .findFirst().orElseThrow().replaceAll("\\D", ""));
    hostCpus = HostCpus.of(virsh.run("capabilities"), active);
    agent = env.startAgent(NODE, URI, 10, POOL, Duration.ofSeconds(1), GuestNetworkConfig.NONE,
        config -> config.withReservedCpus(CpuSet.parse("0")));
  }

  @AfterAll
  static void tearDown() {
    client.resources(Unikernel.class).inNamespace(NS).delete();
    await().atMost(TIMEOUT).until(() -> client.resources(Unikernel.class).inNamespace(NS).list().getItems().isEmpty());
    if (agent != null) {
      env.stopAgent(agent, NODE);
    }
  }

  @Test
  void aGuestRunsOffTheReservedCpuAndAllocatableLeavesItOut() throws Exception {
    String others = CpuSet.parse("0").othersOf(hostCpus).toString(); // 1 on a 2-CPU host
    XenNode node = client.resources(XenNode.class).withName(NODE).get();
    assertThat(node.getStatus().getCapacity().getCpu()).isEqualTo(String.valueOf(hostCpus.size()));
    assertThat(node.getStatus().getAllocatable().getCpu()).isEqualTo(String.valueOf(hostCpus.size() - 1));

    client.resource(Guests.guest(NS, "pinned", HelloImage.get(), "32Mi", POOL)).create();
    Unikernel guest = Guests.awaitPhase(client, NS, "pinned", UnikernelPhase.Running, TIMEOUT);
    String domain = Guests.domainOf(guest, NODE);

    assertThat(virsh.run("dumpxml", domain)).contains("<vcpu placement='static' cpuset='" + others + "'>1</vcpu>");
    long qemu = Long.parseLong(Files.readString(Path.of("/run/libvirt/qemu/" + domain + ".pid")).trim());
    // Every thread of the QEMU process (vCPU, I/O, emulator) may run on the guests' CPUs only.
    try (var threads = Files.list(Path.of("/proc/" + qemu + "/task"))) {
      assertThat(threads.map(ReservedCpusE2E::allowedCpus).filter(Objects::nonNull).distinct().toList())
          .containsExactly(others);
    }
  }

  @Test
  void reservingACpuTheHostLacksStopsTheAgentWithTheFlagToFix() {
    int missing = hostCpus.cpus().nextClearBit(0);
    assertThatThrownBy(() -> env.startAgent("reserved-cpus-bad", URI, 10, POOL, Duration.ofSeconds(1),
        GuestNetworkConfig.NONE, config -> config.withReservedCpus(CpuSet.parse(String.valueOf(missing)))))
        .isInstanceOf(StartupFailure.class)
        .hasMessage("--reserved-cpus " + missing + ": CPU " + missing + " is not on this host: its CPUs are "
            + hostCpus);
    assertThat(client.resources(XenNode.class).withName("reserved-cpus-bad").get()).isNull();
  }

  /** The thread's Cpus_allowed_list (proc(5)), or null when it ended meanwhile. */
  private static String allowedCpus(Path thread) {
    try {
      return Files.readAllLines(thread.resolve("status")).stream().filter(l -> l.startsWith("Cpus_allowed_list:"))
          .findFirst().orElseThrow().substring("Cpus_allowed_list:".length()).trim();
    } catch (IOException e) {
      return null;
    }
  }
}
