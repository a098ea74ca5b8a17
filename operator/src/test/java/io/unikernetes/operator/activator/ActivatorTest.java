package io.unikernetes.operator.activator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The activator on loopback sockets: holding, releasing, relaying and failing connections. */
class ActivatorTest {

  private static final RouteKey KEY = new RouteKey("shop", "web", "http");

  /** What the activator told its listener, in order. */
  private final List<String> told = new CopyOnWriteArrayList<>();
  private final Activator activator = new Activator("127.0.0.1", new RouteListener() {
    @Override
    public void connected(ActivatorRoute route) {
      told.add("connected");
    }

    @Override
    public void held(ActivatorRoute route) {
      told.add("held");
    }

    @Override
    public void ready(ActivatorRoute route, Set<String> deployments) {
      told.add("ready " + deployments);
    }

    @Override
    public void timedOut(ActivatorRoute route) {
      told.add("timedOut");
    }
  });

  @AfterEach
  void close() {
    activator.close();
  }

  /** A guest stand-in that answers each connection with "hello from N: " and the first line it read. */
  private static ServerSocket guest(AtomicInteger accepted) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread thread = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket socket = server.accept()) {
          int n = accepted.incrementAndGet();
          String line = readLine(socket.getInputStream());
          socket.getOutputStream().write(("hello from " + n + ": " + line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
          return;
        }
      }
    });
    thread.setDaemon(true);
    thread.start();
    return server;
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      line.append((char) c);
    }
    return line.toString();
  }

  /** Everything until the other side closes; a regression fails after 10 s instead of hanging the build. */
  private static String readAll(Socket socket) throws IOException {
    socket.setSoTimeout(10_000);
    return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  private int open(boolean http, Duration maxWake) {
    return activator.open(new ActivatorRoute(KEY, http, Set.of("web"), maxWake));
  }

  @Test
  void heldConnectionsWaitUnreadUntilAGuestIsReadyThenGetItsAnswer() throws Exception {
    AtomicInteger accepted = new AtomicInteger();
    try (ServerSocket guest = guest(accepted)) {
      int port = open(false, Duration.ofSeconds(30));
      try (Socket first = new Socket("127.0.0.1", port); Socket second = new Socket("127.0.0.1", port)) {
        first.getOutputStream().write("one\n".getBytes(StandardCharsets.UTF_8));
        second.getOutputStream().write("two\n".getBytes(StandardCharsets.UTF_8));
        waitFor(() -> activator.heldConnections() == 2);
        assertThat(accepted).hasValue(0);

        activator.backends(KEY, List.of(new Backend("127.0.0.1", guest.getLocalPort())), Set.of("web"));

        assertThat(readAll(first)).startsWith("hello from").endsWith(": one\n");
        assertThat(readAll(second)).startsWith("hello from").endsWith(": two\n");
      }
      assertThat(activator.heldConnections()).isZero();
      // The two connections may interleave on the two event loops: counted, not ordered.
      assertThat(told).filteredOn("connected"::equals).hasSize(2);
      assertThat(told).filteredOn("held"::equals).hasSize(2);
      assertThat(told).last().isEqualTo("ready [web]");
    }
  }

  @Test
  void aConnectionWhileAGuestIsReadyIsRelayedAtOnce() throws Exception {
    AtomicInteger accepted = new AtomicInteger();
    try (ServerSocket guest = guest(accepted)) {
      int port = open(false, Duration.ofSeconds(30));
      activator.backends(KEY, List.of(new Backend("127.0.0.1", guest.getLocalPort())), Set.of("web"));
      try (Socket client = new Socket("127.0.0.1", port)) {
        client.getOutputStream().write("now\n".getBytes(StandardCharsets.UTF_8));
        assertThat(readAll(client)).isEqualTo("hello from 1: now\n");
      }
      assertThat(told).doesNotContain("held");
    }
  }

  @Test
  void aClientThatShutsItsSideAfterItsRequestStillGetsTheAnswer() throws Exception {
    AtomicInteger accepted = new AtomicInteger();
    try (ServerSocket guest = guest(accepted)) {
      int port = open(false, Duration.ofSeconds(30));
      try (Socket client = new Socket("127.0.0.1", port)) {
        client.getOutputStream().write("half\n".getBytes(StandardCharsets.UTF_8));
        client.shutdownOutput();
        waitFor(() -> activator.heldConnections() == 1);
        activator.backends(KEY, List.of(new Backend("127.0.0.1", guest.getLocalPort())), Set.of("web"));
        assertThat(readAll(client)).isEqualTo("hello from 1: half\n");
      }
    }
  }

  @Test
  void heldHttpRequestsGetA503WhenTheActivatorStops() throws Exception {
    int port = open(true, Duration.ofSeconds(30));
    try (Socket client = new Socket("127.0.0.1", port)) {
      client.getOutputStream().write("GET / HTTP/1.1\r\nHost: web\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      waitFor(() -> activator.heldConnections() == 1);
      activator.retain(Set.of());
      assertThat(readAll(client)).startsWith("HTTP/1.1 503 Service Unavailable\r\n")
          .contains("the activator stopped standing in for shop/web:http");
    }
  }

  @Test
  void aStoppingActivatorAnswersItsHeldHttpRequestsWith503() throws Exception {
    int port = open(true, Duration.ofSeconds(30));
    try (Socket client = new Socket("127.0.0.1", port)) {
      client.getOutputStream().write("GET / HTTP/1.1\r\nHost: web\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      waitFor(() -> activator.heldConnections() == 1);
      activator.close();
      assertThat(readAll(client)).startsWith("HTTP/1.1 503 Service Unavailable\r\n");
    }
  }

  @Test
  void anHttpRequestHeldPastMaxWakeGetsA503WithRetryAfter() throws Exception {
    int port = open(true, Duration.ofSeconds(1));
    try (Socket client = new Socket("127.0.0.1", port)) {
      OutputStream out = client.getOutputStream();
      out.write("GET / HTTP/1.1\r\nHost: web\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      String answer = readAll(client);
      assertThat(answer).startsWith("HTTP/1.1 503 Service Unavailable\r\n").contains("Retry-After: 1\r\n")
          .contains("no Ready guest for shop/web:http within 1 s");
    }
    assertThat(told).contains("timedOut");
    assertThat(activator.heldConnections()).isZero();
  }

  @Test
  void aTcpConnectionHeldPastMaxWakeIsClosed() throws Exception {
    int port = open(false, Duration.ofSeconds(1));
    try (Socket client = new Socket("127.0.0.1", port)) {
      client.setSoTimeout(10_000);
      assertThat(client.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(told).contains("timedOut");
  }

  @Test
  void aRouteNoLongerKeptClosesItsPortAndItsHeldTcpConnections() throws Exception {
    int port = open(false, Duration.ofSeconds(30));
    try (Socket client = new Socket("127.0.0.1", port)) {
      client.setSoTimeout(10_000);
      waitFor(() -> activator.heldConnections() == 1);
      activator.retain(Set.of());
      assertThat(client.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(activator.routes()).isEmpty();
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
      Thread.sleep(10);
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }
}
