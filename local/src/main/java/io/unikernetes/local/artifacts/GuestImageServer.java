package io.unikernetes.local.artifacts;

import com.sun.net.httpserver.HttpServer;
import io.unikernetes.agent.images.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** Serves kernel images over HTTP on loopback, the way a user's artifact server would. */
public final class GuestImageServer implements AutoCloseable {

  private final HttpServer server;

  private GuestImageServer(HttpServer server) {
    this.server = server;
  }

  /** Serves every file of {@code dir} at /NAME. */
  public static GuestImageServer serve(Path dir) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      Path file = dir.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
      if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
        return;
      }
      byte[] body = Files.readAllBytes(file);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return new GuestImageServer(server);
  }

  public String urlOf(String fileName) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + fileName;
  }

  public static String sha256Of(Path file) throws IOException {
    return Sha256.of(Files.readAllBytes(file));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
