package io.unikernetes.common.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.unikernetes.common.config.ConfigOption;
import io.unikernetes.common.startup.StartupFailure;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * Serves /healthz (the process is alive), /readyz (it does its job) and /metrics (Prometheus text format)
 * on one port, for kubelet probes and scrapers.
 */
public final class ProbeServer implements AutoCloseable {

  private final HttpServer server;

  private ProbeServer(HttpServer server) {
    this.server = server;
  }

  /**
   * {@code notReady} lists why the process cannot do its job (empty when it can); /readyz answers 503 with
   * those reasons, one a line, so an operator sees which watch is broken.
   */
  /**
   * @param portOption the setting that chose {@code port}, named when the port is taken
   * @throws StartupFailure when the port is taken (a BindException)
   */
  public static ProbeServer start(String host, int port, ConfigOption portOption, PrometheusMeterRegistry registry,
      BooleanSupplier live, java.util.function.Supplier<java.util.List<String>> notReady) throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (BindException e) {
      throw StartupFailure.portInUse(portOption, host, port, e);
    }
    server.createContext("/healthz", exchange -> probe(exchange, live));
    server.createContext("/readyz", exchange -> {
      java.util.List<String> reasons = notReady.get();
      respond(exchange, reasons.isEmpty() ? 200 : 503, "text/plain",
          reasons.isEmpty() ? "ok\n" : "not ready:\n" + String.join("\n", reasons) + "\n");
    });
    server.createContext("/metrics", exchange -> respond(exchange, 200,
        "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, "probe-server");
      thread.setDaemon(true);
      return thread;
    }));
    server.start();
    return new ProbeServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void probe(HttpExchange exchange, BooleanSupplier check) throws IOException {
    boolean ok = check.getAsBoolean();
    respond(exchange, ok ? 200 : 503, "text/plain", ok ? "ok\n" : "not ready\n");
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
