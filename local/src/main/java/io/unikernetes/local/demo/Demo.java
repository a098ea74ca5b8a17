package io.unikernetes.local.demo;

import io.unikernetes.agent.UnikernetesAgent;
import io.unikernetes.agent.network.GuestNetworkConfig;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.XenNodeSpec;
import io.unikernetes.common.net.Ipv4Subnet;
import io.unikernetes.local.process.BuildScript;
import io.unikernetes.local.host.NetnsLibvirtd;
import io.unikernetes.local.controlplane.ControlPlaneBinaries;
import io.unikernetes.local.controlplane.KubeCluster;
import io.unikernetes.local.environment.LocalEnvironment;
import io.unikernetes.local.process.CommandResult;
import io.unikernetes.local.artifacts.GuestImageServer;
import io.unikernetes.local.repository.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The embedded default ({@link LocalEnvironment}) and the hello guest applied with kubectl; then a second node
 * whose guests have a network, a guest that serves HTTP behind a Service, and its answer. Prints what a user would look at, then cleans up.
 */
public final class Demo {

  private static final String NODE = "demo-node";
  private static final String SERVING_NODE = "demo-serving-node";
  private static final String SERVING_NETNS = "uk-demo";
  private static final Ipv4Subnet SERVING_SUBNET = Ipv4Subnet.parse("10.240.254.0/24");

  private Demo() {
  }

  public static void main(String[] args) throws Exception {
    Repository repo = Repository.locate();
    Path work = Files.createTempDirectory("unikernetes-demo");
    Path guest = repo.helloGuest();
    say("control plane binaries: building or reusing the cache (hack/build-control-plane.sh)");
    Path bin = ControlPlaneBinaries.locate(repo.root());
    say("starting etcd, kube-apiserver and kube-controller-manager (logs in " + work.resolve("control-plane")
        + "), the CRDs, the operator and a xen-agent on " + LocalEnvironment.LIBVIRT_URI);
    try (LocalEnvironment environment = LocalEnvironment.start(repo, bin, work, NODE, guest.getParent())) {
      KubeCluster cluster = environment.cluster();
      var client = environment.client();
      String manifest = repo.example("hello.yaml", Map.of(
          "IMAGE_URL", environment.artifactUrl(guest.getFileName().toString()),
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
      serve(repo, work, cluster, client);
    }
  }

  /**
   * A guest that serves: a second node whose QEMU guests sit on a bridge inside a network namespace the demo
   * creates (hack/netns-libvirtd.sh), examples/serving.yaml applied, and the guest's HTTP answer fetched from
   * inside that namespace, at the address in its status and in its Service's EndpointSlice.
   */
  private static void serve(Repository repo, Path work, KubeCluster cluster,
      io.fabric8.kubernetes.client.KubernetesClient client) throws Exception {
    say("serving guest: building or reusing it (hack/build-serving-guest.sh); a libvirtd in network namespace "
        + SERVING_NETNS + " with bridge ukbr0 at " + SERVING_SUBNET.address(1) + " (hack/netns-libvirtd.sh)");
    Path serving = BuildScript.run(repo.root().resolve("hack/build-serving-guest.sh"));
    XenNode node = new XenNode();
    node.getMetadata().setName(SERVING_NODE);
    node.setSpec(new XenNodeSpec());
    node.getSpec().setGuestSubnet(SERVING_SUBNET.toString()); // the bridge already holds its gateway
    client.resource(node).create();
    try (GuestImageServer images = GuestImageServer.serve(serving);
         NetnsLibvirtd host = NetnsLibvirtd.start(repo, work.resolve("netns-libvirtd"), SERVING_NETNS, "ukbr0",
             SERVING_SUBNET.address(1) + "/" + SERVING_SUBNET.prefixLength());
         var agent = UnikernetesAgent.start(LocalEnvironment.agentConfig(SERVING_NODE, host.uri(),
             // In this process, outside the bridge's namespace: the host's nftables stay untouched.
             work.resolve("serving-agent"), GuestNetworkConfig.of("ukbr0", "").withoutTrafficNoting()), client)) {
      String manifest = repo.example("serving.yaml", Map.of(
          "IMAGE_URL", images.urlOf("vmlinuz"), "IMAGE_SHA256", GuestImageServer.sha256Of(serving.resolve("vmlinuz")),
          "INITRD_URL", images.urlOf("initrd.img"),
          "INITRD_SHA256", GuestImageServer.sha256Of(serving.resolve("initrd.img"))));
      say("kubectl patch xennode " + NODE + " (cordon: its agent has no guest bridge)");
      print(cluster.kubectl(null, "patch", "xennode", NODE, "--type=merge", "-p", "{\"spec\":{\"unschedulable\":true}}"));
      say("kubectl apply -f examples/serving.yaml (a Unikernel and its Service)");
      Instant applied = Instant.now();
      print(cluster.kubectl(manifest, "apply", "-f", "-"));
      print(cluster.kubectl(null, "wait", "--for=jsonpath={.status.phase}=Running", "--timeout=180s",
          "unikernel/web"));
      String ip = client.resources(Unikernel.class).inNamespace("default").withName("web").get().getStatus().getIp();
      String answer = null;
      Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
      while (answer == null && Instant.now().isBefore(deadline)) {
        answer = host.httpGet("http://" + ip + ":8080/").orElse(null);
        Thread.sleep(answer == null ? 500 : 0);
      }
      if (answer == null) {
        throw new IllegalStateException("the serving guest did not answer at " + ip + ":8080 within 180 s");
      }
      Duration toAnswer = Duration.between(applied, Instant.now());
      print(cluster.kubectl(null, "get", "unikernels", "-o", "wide"));
      print(cluster.kubectl(null, "get", "endpointslices", "-l", "kubernetes.io/service-name=web"));
      say("curl http://" + ip + ":8080/ from inside " + SERVING_NETNS + " (" + toAnswer.toMillis()
          + " ms after apply):");
      System.out.println(answer);
      say("kubectl delete -f examples/serving.yaml");
      print(cluster.kubectl(manifest, "delete", "-f", "-", "--timeout=120s"));
    } finally {
      client.resources(XenNode.class).withName(SERVING_NODE).delete();
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
