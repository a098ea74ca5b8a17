package io.unikernetes.local.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes 127.0.0.1:PORT inside a network namespace reach 127.0.0.1:PORT outside it (the API server, an image
 * server) through a Unix socket and two socat processes, so a process inside talks to them over loopback only.
 */
final class LoopbackRelay {

  private LoopbackRelay() {
  }

  /** The two socat processes of the relay, logging under {@code state}. */
  static List<Process> start(String netns, int port, Path state) throws IOException, InterruptedException {
    Path socket = state.resolve("relay-" + netns + "-" + port + ".sock");
    Files.deleteIfExists(socket);
    Process outside = new ProcessBuilder("socat", "UNIX-LISTEN:" + socket + ",fork", "TCP:127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(state.resolve("relay-" + port + ".out").toFile()).start();
    for (int i = 0; i < 100 && !Files.exists(socket); i++) {
      Thread.sleep(50);
    }
    Process inside = new ProcessBuilder("ip", "netns", "exec", netns, "socat",
        "TCP-LISTEN:" + port + ",bind=127.0.0.1,fork,reuseaddr", "UNIX-CONNECT:" + socket)
        .redirectErrorStream(true).redirectOutput(state.resolve("relay-" + netns + "-" + port + ".out").toFile())
        .start();
    return List.of(outside, inside);
  }
}
