package io.unikernetes.e2e.demo;

import io.unikernetes.agent.UnikernetesAgent;
import io.unikernetes.agent.config.AgentConfig;
import io.unikernetes.agent.network.GuestNetworkConfig;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import io.unikernetes.e2e.controlplane.ControlPlaneBinaries;
import io.unikernetes.e2e.controlplane.KubeCluster;
import io.unikernetes.e2e.support.CommandResult;
import io.unikernetes.e2e.controlplane.LocalControlPlane;
import io.unikernetes.e2e.support.Crds;
import io.unikernetes.e2e.support.GuestImageServer;
import io.unikernetes.e2e.support.Repository;
import io.unikernetes.operator.UnikernetesOperator;
import io.unikernetes.operator.config.OperatorConfig;
import io.unikernetes.operator.scheduler.SchedulingPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The embedded default: a local control plane, the operator, one agent on qemu:///system, and the hello
 * guest applied with kubectl. Prints what a user would look at, then cleans up.
 */
public final class Demo {

  private static final String NODE = "demo-node";

  private Demo() {
  }

  public static void main(String[] args) throws Exception {
    Repository repo = Repository.locate();
    Path work = Files.createTempDirectory("unikernetes-demo");
    Path guest = repo.helloGuest();
    say("control plane binaries: building or reusing the cache (hack/build-control-plane.sh)");
    Path bin = ControlPlaneBinaries.locate(repo.root());
    say("starting etcd, kube-apiserver and kube-controller-manager (logs in " + work.resolve("control-plane") + ")");
    try (KubeCluster cluster = LocalControlPlane.start(bin, work.resolve("control-plane"));
         var client = cluster.newClient();
         GuestImageServer images = GuestImageServer.serve(guest.getParent())) {
      Crds.install(cluster, repo);
      say("CRDs installed; starting the operator and a xen-agent on qemu:///system");
      var operatorConfig = new OperatorConfig(true, "default", "unikernetes-operator", "demo-operator",
          "127.0.0.1", 0, "default", Duration.ofSeconds(300), SchedulingPolicy.dense, OperatorConfig.DEFAULT_GUEST_SUBNETS);
      var agentConfig = new AgentConfig(NODE, "qemu:///system", work.resolve("agent"), Path.of("/var/log/xen/console"),
          MemorySize.parse("512Mi"), 4, 64, Map.of(), "127.0.0.1", 0, Duration.ofSeconds(30), Duration.ofSeconds(600), Duration.ofSeconds(30),
          "default", Duration.ofSeconds(10), GuestNetworkConfig.NONE);
      try (var operator = UnikernetesOperator.start(operatorConfig, client,
               UnikernetesOperator.OnLostLeadership.STOP_CONTROLLERS);
           var agent = UnikernetesAgent.start(agentConfig, client)) {
        String manifest = repo.example("hello.yaml", Map.of(
            "IMAGE_URL", images.urlOf(guest.getFileName().toString()),
            "IMAGE_SHA256", GuestImageServer.sha256Of(guest)));
        say("kubectl apply -f examples/hello.yaml");
        Instant applied = Instant.now();
        print(cluster.kubectl(manifest, "apply", "-f", "-"));
        print(cluster.kubectl(null, "wait", "--for=jsonpath={.status.phase}=Running", "--timeout=180s",
            "unikernel/hello"));
        Duration toRunning = Duration.between(applied, Instant.now());
        String ready = waitForReadyLine(client);
        print(cluster.kubectl(null, "get", "xennodes"));
        print(cluster.kubectl(null, "get", "unikernels", "-o", "wide"));
        say("apply -> Running in " + toRunning.toMillis() + " ms; the guest printed:");
        System.out.println(ready);
        say("kubectl delete unikernel hello (the agent destroys the domain first)");
        print(cluster.kubectl(null, "delete", "unikernel/hello", "--timeout=120s"));
      }
    }
  }

  private static String waitForReadyLine(io.fabric8.kubernetes.client.KubernetesClient client) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      Unikernel hello = client.resources(Unikernel.class).inNamespace("default").withName("hello").get();
      String head = hello == null || hello.getStatus() == null ? null : hello.getStatus().getConsoleHead();
      if (head != null) {
        var line = head.lines().filter(l -> l.startsWith("UNIKERNEL READY")).findFirst();
        if (line.isPresent()) {
          return line.get();
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the guest printed no READY line within 60 s");
  }

  private static void print(CommandResult result) {
    System.out.print(result.output());
    if (result.exitCode() != 0) {
      throw new IllegalStateException("kubectl failed with exit code " + result.exitCode());
    }
  }

  private static void say(String text) {
    System.out.println("==> " + text);
  }
}
