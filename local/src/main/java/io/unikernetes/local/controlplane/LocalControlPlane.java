package io.unikernetes.local.controlplane;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.unikernetes.local.process.JvmBoundProcess;
import io.unikernetes.local.process.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A real, local Kubernetes control plane for tests and the demo: etcd, kube-apiserver (RBAC on) and
 * kube-controller-manager (so garbage collection and namespace deletion work as in a cluster), each a
 * child process with its log in the work directory. Clients authenticate with a static admin token.
 */
public final class LocalControlPlane implements KubeCluster {

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

  private final Path binDir;
  private final Path workDir;
  private final List<Process> processes = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.Map<String, Component> components = new java.util.concurrent.ConcurrentHashMap<>();
  private final String adminToken = randomToken();
  private int apiPort;
  private Path kubeconfig;

  private LocalControlPlane(Path binDir, Path workDir) {
    this.binDir = binDir;
    this.workDir = workDir;
  }

  public static LocalControlPlane start(Path binDir, Path workDir) throws IOException, InterruptedException {
    LocalControlPlane plane = new LocalControlPlane(binDir, workDir);
    try {
      plane.startAll();
      return plane;
    } catch (IOException | InterruptedException | RuntimeException e) {
      plane.close();
      throw e;
    }
  }

  private void startAll() throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    int etcdPort = LoopbackPorts.free();
    int etcdPeerPort = LoopbackPorts.free();
    apiPort = LoopbackPorts.free();
    start("etcd", List.of(binDir.resolve("etcd").toString(),
        "--name=default",
        "--data-dir=" + workDir.resolve("etcd"),
        "--listen-client-urls=http://127.0.0.1:" + etcdPort,
        "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
        "--listen-peer-urls=http://127.0.0.1:" + etcdPeerPort,
        "--initial-advertise-peer-urls=http://127.0.0.1:" + etcdPeerPort,
        "--initial-cluster=default=http://127.0.0.1:" + etcdPeerPort,
        "--unsafe-no-fsync=true",
        "--log-level=warn"));
    ServiceAccountKeys keys = ServiceAccountKeys.generate(workDir);
    Path tokens = workDir.resolve("tokens.csv");
    Files.writeString(tokens, adminToken + ",admin,admin-uid,\"system:masters\"\n");
    start("kube-apiserver", List.of(binDir.resolve("kube-apiserver").toString(),
        "--etcd-servers=http://127.0.0.1:" + etcdPort,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        "--secure-port=" + apiPort,
        "--cert-dir=" + workDir.resolve("pki"),
        "--token-auth-file=" + tokens,
        "--authorization-mode=RBAC",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        "--service-account-key-file=" + keys.publicKey(),
        "--service-account-signing-key-file=" + keys.privateKey(),
        "--service-cluster-ip-range=10.96.0.0/16",
        "--allow-privileged=true",
        "--disable-admission-plugins=ServiceAccount",
        "--v=1"));
    waitForApiServer();
    kubeconfig = workDir.resolve("kubeconfig");
    Files.writeString(kubeconfig, kubeconfigYaml());
    start("kube-controller-manager", List.of(binDir.resolve("kube-controller-manager").toString(),
        "--kubeconfig=" + kubeconfig,
        "--service-account-private-key-file=" + keys.privateKey(),
        "--root-ca-file=" + servingCertificate(),
        "--leader-elect=false",
        "--bind-address=127.0.0.1",
        "--secure-port=" + LoopbackPorts.free(),
        "--controllers=*",
        "--v=1"));
  }

  /** Starts a component that dies with this JVM; components are killed outright when stopped. */
  private void start(String name, List<String> command) throws IOException {
    Process process = JvmBoundProcess.start(command, workDir.resolve(name + ".log"));
    processes.add(process);
    components.put(name, new Component(command, process));
  }

  private record Component(List<String> command, Process process) {
  }

  /**
   * Kills kube-apiserver with SIGKILL, as a crash would, and starts it again with the same flags on the same
   * port and etcd; returns once it is ready. For chaos tests.
   */
  public synchronized void killAndRestartApiServer() throws IOException, InterruptedException {
    Component apiServer = components.get("kube-apiserver");
    // The watchdog's child is the API server itself; SIGKILL it, then the watchdog exits with it.
    apiServer.process().descendants().forEach(ProcessHandle::destroyForcibly);
    apiServer.process().waitFor();
    processes.remove(apiServer.process());
    start("kube-apiserver", apiServer.command());
    waitForApiServer();
  }

  private void waitForApiServer() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().sslContext(trustAll()).connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest readyz = HttpRequest.newBuilder(URI.create(serverUrl() + "/readyz"))
        .header("Authorization", "Bearer " + adminToken).timeout(Duration.ofSeconds(5)).build();
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IOException("a control-plane process exited (code " + p.exitValue() + "); see logs in " + workDir);
        }
      }
      try {
        if (http.send(readyz, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IOException("kube-apiserver not ready after " + STARTUP_TIMEOUT.toSeconds() + " s; see " + workDir);
  }

  /** kube-apiserver makes a self-signed serving certificate (for 127.0.0.1 and localhost) in --cert-dir. */
  private Path servingCertificate() {
    return workDir.resolve("pki/apiserver.crt");
  }

  private String kubeconfigYaml() {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster:
            server: %s
            certificate-authority: %s
        users:
        - name: admin
          user:
            token: %s
        contexts:
        - name: local
          context:
            cluster: local
            user: admin
            namespace: default
        current-context: local
        """.formatted(serverUrl(), servingCertificate(), adminToken);
  }

  public String serverUrl() {
    return "https://127.0.0.1:" + apiPort;
  }

  @Override
  public Path kubeconfig() {
    return kubeconfig;
  }

  @Override
  public Path kubectlBinary() {
    return binDir.resolve("kubectl");
  }

  @Override
  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(null, readKubeconfig(), null)).build();
  }

  private String readKubeconfig() {
    try {
      return Files.readString(kubeconfig, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public Path workDir() {
    return workDir;
  }

  @Override
  public void close() {
    // Stop all at once (controller manager and API server first matter little: the data dies with them).
    processes.forEach(Process::destroy);
    processes.forEach(p -> JvmBoundProcess.stop(p, Duration.ofSeconds(5)));
  }

  private static String randomToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static SSLContext trustAll() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, new SecureRandom());
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
