package io.unikernetes.local.process;

import java.io.IOException;
import java.net.ServerSocket;

/** Ports for the processes tests start on this machine. */
public final class LoopbackPorts {

  private LoopbackPorts() {
  }

  /** A TCP port that was free a moment ago. */
  public static int free() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
