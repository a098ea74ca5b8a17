package io.unikernetes.e2e.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.UnikernelDeployment;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.RolloutStrategy;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.local.controlplane.LocalControlPlane;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.e2e.support.HelloImage;
import io.unikernetes.e2e.support.Libvirtd;
import io.unikernetes.e2e.support.TestEnvironment;
import io.unikernetes.e2e.support.Virsh;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A 100-guest UnikernelDeployment rolls to a new revision on two agents (real QEMU guests) while the
 * operator, an agent, kube-apiserver and libvirtd are killed with SIGKILL at random points (seeded; set
 * UNIKERNETES_CHAOS_SEED to replay a run). The operator and agents are restarted as systemd or a kubelet
 * would, libvirtd as systemd would with the drop-in from deploy/systemd/libvirtd.service.d. At the end every guest must run the new revision, with no lost guest (Running in status without a
 * running domain), no orphaned domain (a domain without its Unikernel) and no duplicate (two domains for one
 * Unikernel). Prints the seed, the kills, the time to converge and the restarts they caused.
 */
class ChaosE2E {

  private static final String NS = "chaos";
  private static final int REPLICAS = 100;
  private static final String URI = "qemu:///system";
  private static final List<String> NODES = List.of("chaos-a", "chaos-b");
  private static final int KILLS = 6;
  private static final Duration CONVERGE = Duration.ofMinutes(15);

  @Test
  void aRolloutSurvivesKilledComponentsWithNoLostOrphanedOrDuplicateGuest() throws Exception {
    TestEnvironment env = TestEnvironment.get();
    KubernetesClient client = env.client();
    env.createNamespace(NS);
    long seed = System.getenv("UNIKERNETES_CHAOS_SEED") == null ? System.currentTimeMillis()
        : Long.parseLong(System.getenv("UNIKERNETES_CHAOS_SEED"));
    System.out.printf("chaos seed %d (UNIKERNETES_CHAOS_SEED=%d replays it)%n", seed, seed);
    Random random = new Random(seed);
    Virsh virsh = new Virsh(URI);
    Libvirtd libvirtd = new Libvirtd(env.repository(), virsh);
    Path work = env.newWorkDir("chaos");
    Map<String, String> kubeconfig = Map.of("KUBECONFIG", env.cluster().kubeconfig().toString());
    Set<String> uidsSeen = ConcurrentHashMap.newKeySet();
    var watch = client.resources(Unikernel.class).inNamespace(NS).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Unikernel guest) {
        uidsSeen.add(guest.getMetadata().getUid());
      }

      @Override
      public void onUpdate(Unikernel before, Unikernel after) {
        uidsSeen.add(after.getMetadata().getUid());
      }

      @Override
      public void onDelete(Unikernel guest, boolean unknown) {
      }
    });

    env.pauseOperator();
    List<SupervisedJava> components = new ArrayList<>();
    try {
      SupervisedJava operator = new SupervisedJava("operator", env.repository().operatorJar(), List.of(
          "--lease-namespace=default", "--lease-name=" + TestEnvironment.OPERATOR_LEASE, "--identity=chaos-operator",
          "--http-host=127.0.0.1", "--http-port=0", "--node-lease-namespace=" + TestEnvironment.NODE_LEASES),
          kubeconfig, work.resolve("operator.log")).start();
      components.add(operator);
      for (String node : NODES) {
        components.add(new SupervisedJava(node, env.repository().agentJar(), List.of("--node-name=" + node,
            "--libvirt-uri=" + URI, "--state-dir=" + work.resolve(node), "--node-labels=pool=chaos",
            "--http-host=127.0.0.1", "--http-port=0", "--resync-seconds=5",
            "--heartbeat-namespace=" + TestEnvironment.NODE_LEASES, "--heartbeat-seconds=2",
            "--max-guests=" + REPLICAS),
            kubeconfig, work.resolve(node + ".log")).start());
      }
      await().atMost(Duration.ofSeconds(120)).until(() -> NODES.stream().allMatch(n -> {
        XenNode node = client.resources(XenNode.class).withName(n).get();
        return node != null && node.getStatus() != null
            && Conditions.isTrue(node.getStatus().getConditions(), ConditionType.Ready);
      }));

      UnikernelDeployment deployment = Guests.deployment(NS, "chaos", REPLICAS, HelloImage.get(), "16Mi",
          Map.of("pool", "chaos"));
      deployment.getSpec().getTemplate().getSpec().setCmdline("chaos v1");
      RolloutStrategy.RollingUpdate rolling = new RolloutStrategy.RollingUpdate();
      rolling.setMaxSurge(new IntOrString("25%"));
      rolling.setMaxUnavailable(new IntOrString("25%"));
      RolloutStrategy strategy = new RolloutStrategy();
      strategy.setRollingUpdate(rolling);
      deployment.getSpec().setStrategy(strategy);
      client.resource(deployment).create();
      Instant created = Instant.now();
      awaitConverged(client, virsh, "chaos v1", Duration.ofMinutes(10));
      System.out.printf("%d guests Running and Ready without chaos: %d s%n", REPLICAS,
          Duration.between(created, Instant.now()).toSeconds());
      int restartsBefore = restarts(client);
      int uidsBefore = uidsSeen.size();
      int startsBefore = components.stream().mapToInt(SupervisedJava::starts).sum();

      client.resources(UnikernelDeployment.class).inNamespace(NS).withName("chaos").edit(d -> {
        d.getSpec().getTemplate().getSpec().setCmdline("chaos v2");
        return d;
      });
      Instant rollout = Instant.now();
      List<String> kills = new ArrayList<>();
      int componentKills = 0;
      for (int i = 0; i < KILLS; i++) {
        Thread.sleep(3000 + random.nextInt(12_000));
        int target = random.nextInt(components.size() + 2);
        long down = 1000 + random.nextInt(7000);
        String at = "+" + Duration.between(rollout, Instant.now()).toSeconds() + " s";
        if (target < components.size()) {
          SupervisedJava component = components.get(target);
          component.kill();
          Thread.sleep(down);
          component.release();
          componentKills++;
          kills.add(at + " " + component.name() + " (down " + down + " ms)");
        } else if (target == components.size()) {
          if (env.cluster() instanceof LocalControlPlane plane) {
            plane.killAndRestartApiServer();
            kills.add(at + " kube-apiserver");
          } else {
            kills.add(at + " kube-apiserver skipped: not a local control plane");
          }
        } else {
          libvirtd.killAndRestart(Duration.ofMillis(down));
          kills.add(at + " libvirtd (down " + down + " ms)");
        }
        System.out.println("chaos: " + kills.get(kills.size() - 1));
      }
      Convergence result = awaitConverged(client, virsh, "chaos v2", CONVERGE);
      System.out.printf("chaos: converged %d s after the rollout started, %d kills: %s%n",
          Duration.between(rollout, Instant.now()).toSeconds(), kills.size(), kills);
      System.out.printf("chaos: guest restarts caused %d; Unikernels created %d (a clean rollout creates %d); "
              + "unplanned component restarts (e.g. an operator that lost its Lease) %d; lost %d, orphaned %d, "
              + "duplicates %d%n",
          restarts(client) - restartsBefore, uidsSeen.size() - uidsBefore, REPLICAS,
          components.stream().mapToInt(SupervisedJava::starts).sum() - startsBefore - componentKills,
          result.lost().size(), result.orphaned().size(), result.duplicates().size());
      // Why guests were restarted, as the agents' Events say (a restart is downtime for that guest).
      client.v1().events().inNamespace(NS).list().getItems().stream()
          .filter(e -> "Restarting".equals(e.getReason()) || "DomainLost".equals(e.getReason()))
          .collect(Collectors.groupingBy(e -> e.getReason() + ": " + e.getMessage()
              .replaceAll("uk_[A-Za-z0-9_.-]+", "DOMAIN")
              .replaceAll("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", "UUID")
              .replaceAll("\\(restart \\d+\\)", ""), Collectors.counting()))
          .forEach((why, count) -> System.out.printf("chaos: %d x %s%n", count, why));
      assertThat(result.lost()).isEmpty();
      assertThat(result.orphaned()).isEmpty();
      assertThat(result.duplicates()).isEmpty();
    } finally {
      try {
        client.resources(UnikernelDeployment.class).inNamespace(NS).delete();
        // Not left to the garbage collector alone: kube-controller-manager may still be catching up.
        client.resources(Unikernel.class).inNamespace(NS).delete();
        await().atMost(Duration.ofMinutes(5)).until(() ->
            client.resources(Unikernel.class).inNamespace(NS).list().getItems().isEmpty());
      } finally {
        for (SupervisedJava component : components) {
          component.close();
        }
        NODES.forEach(n -> client.resources(XenNode.class).withName(n).delete());
        watch.close();
        env.resumeOperator();
      }
    }
  }

  /** Guests Running without a running domain, domains without a guest, and Unikernels with two domains. */
  record Convergence(List<String> lost, List<String> orphaned, List<String> duplicates) {
  }

  private static Convergence awaitConverged(KubernetesClient client, Virsh virsh, String cmdline, Duration timeout) {
    Convergence[] last = new Convergence[1];
    await().atMost(timeout).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(() -> {
      UnikernelDeployment d = client.resources(UnikernelDeployment.class).inNamespace(NS).withName("chaos").get();
      var status = d.getStatus();
      if (status == null || !Integer.valueOf(REPLICAS).equals(status.getAvailableReplicas())
          || !Integer.valueOf(REPLICAS).equals(status.getUpdatedReplicas())
          || !Integer.valueOf(REPLICAS).equals(status.getReplicas())
          || !d.getMetadata().getGeneration().equals(status.getObservedGeneration())) {
        return false;
      }
      List<Unikernel> guests = client.resources(Unikernel.class).inNamespace(NS).list().getItems();
      if (guests.size() != REPLICAS || guests.stream().anyMatch(g -> g.getMetadata().getDeletionTimestamp() != null
          || g.getStatus() == null || g.getStatus().getPhase() != UnikernelPhase.Running
          || !cmdline.equals(g.getSpec().getCmdline()))) {
        return false;
      }
      last[0] = check(guests, virsh);
      return last[0].orphaned().isEmpty() && last[0].lost().isEmpty() && last[0].duplicates().isEmpty();
    });
    return last[0];
  }

  private static Convergence check(List<Unikernel> guests, Virsh virsh) throws Exception {
    Set<String> running = new HashSet<>(virsh.run("list", "--name").lines().map(String::trim)
        .filter(n -> n.startsWith("uk_" + NS + "_")).toList());
    List<String> all = virsh.run("list", "--all", "--name").lines().map(String::trim)
        .filter(n -> n.startsWith("uk_" + NS + "_")).toList();
    Map<String, String> domainOfGuest = new HashMap<>();
    guests.forEach(g -> domainOfGuest.put(Guests.domainOf(g, g.getSpec().getNodeName()), g.getMetadata().getName()));
    List<String> lost = domainOfGuest.entrySet().stream().filter(e -> !running.contains(e.getKey()))
        .map(Map.Entry::getValue).toList();
    List<String> orphaned = all.stream().filter(n -> !domainOfGuest.containsKey(n)).toList();
    Map<String, Long> perUid = all.stream().collect(Collectors.groupingBy(n -> n.substring(n.lastIndexOf('_') + 1),
        Collectors.counting()));
    List<String> duplicates = perUid.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    return new Convergence(lost, orphaned, duplicates);
  }

  private static int restarts(KubernetesClient client) {
    return client.resources(Unikernel.class).inNamespace(NS).list().getItems().stream()
        .mapToInt(g -> g.getStatus() == null || g.getStatus().getRestartCount() == null ? 0
            : g.getStatus().getRestartCount()).sum();
  }
}
