package io.unikernetes.agent.probes;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.unikernetes.api.v1alpha1.spec.GuestPort;
import io.unikernetes.api.v1alpha1.spec.HttpGetAction;
import io.unikernetes.api.v1alpha1.spec.HttpHeader;
import io.unikernetes.api.v1alpha1.spec.PortProtocol;
import io.unikernetes.api.v1alpha1.spec.Probe;
import io.unikernetes.api.v1alpha1.spec.TcpSocketAction;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Probes against real sockets on loopback: an HTTP server, a closed port, and a port that never answers. */
class ProberTest {

  private static HttpServer server;
  private static ServerSocket silent;
  private static final Prober PROBER = new Prober(Executors.newFixedThreadPool(2));

  @BeforeAll
  static void setUp() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/healthz", exchange -> {
      boolean token = "yes".equals(exchange.getRequestHeaders().getFirst("X-Probe"));
      exchange.sendResponseHeaders(token ? 200 : 503, -1);
      exchange.close();
    });
    server.start();
    // Accepts connections (the kernel completes them) but never answers a request.
    silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
  }

  @AfterAll
  static void tearDown() throws Exception {
    server.stop(0);
    silent.close();
    PROBER.close();
  }

  private static ProbeTarget http(int port, List<HttpHeader> headers) {
    Probe probe = new Probe();
    HttpGetAction get = new HttpGetAction("/healthz", new IntOrString("http"));
    get.setHttpHeaders(headers);
    probe.setHttpGet(get);
    probe.setTimeoutSeconds(1);
    return ProbeTarget.of(probe, List.of(new GuestPort("http", port, PortProtocol.TCP)), "127.0.0.1");
  }

  private static ProbeTarget tcp(int port) {
    Probe probe = new Probe();
    probe.setTcpSocket(new TcpSocketAction(new IntOrString(port)));
    return ProbeTarget.of(probe, List.of(), "127.0.0.1");
  }

  private static ProbeResult run(ProbeTarget target) throws Exception {
    return PROBER.probe(target).get(10, TimeUnit.SECONDS);
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void anHttpProbePassesOn2xxWithItsHeadersAndFailsOtherwiseSayingWhy() throws Exception {
    int port = server.getAddress().getPort();
    ProbeResult ok = run(http(port, List.of(new HttpHeader("X-Probe", "yes"))));
    assertThat(ok.success()).isTrue();
    assertThat(ok.message()).isEqualTo("GET http://127.0.0.1:" + port + "/healthz: HTTP 200");
    ProbeResult unavailable = run(http(port, List.of()));
    assertThat(unavailable.success()).isFalse();
    assertThat(unavailable.message()).endsWith(": HTTP 503");
    ProbeResult refused = run(http(closedPort(), List.of()));
    assertThat(refused.success()).isFalse();
    assertThat(refused.message()).endsWith(": connection refused");
  }

  @Test
  void aServerThatNeverAnswersFailsAfterTheTimeout() throws Exception {
    // Without the probe's own timeout this would hang until run() gives up after 10 s.
    ProbeResult silence = run(http(silent.getLocalPort(), List.of()));
    assertThat(silence.success()).isFalse();
    assertThat(silence.message()).containsAnyOf("timed out", "no answer within 1 s");
  }

  @Test
  void aTcpProbePassesWhenTheConnectionOpens() throws Exception {
    assertThat(run(tcp(silent.getLocalPort())).success()).isTrue();
    int closed = closedPort();
    ProbeResult refused = run(tcp(closed));
    assertThat(refused.success()).isFalse();
    assertThat(refused.message()).isEqualTo("TCP 127.0.0.1:" + closed + ": connection refused");
  }
}
