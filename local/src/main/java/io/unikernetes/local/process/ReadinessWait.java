package io.unikernetes.local.process;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Waits for a component started as a process (agent, operator) to say it is ready, or to exit. */
final class ReadinessWait {

  private static final long POLL_MILLIS = 200;

  private ReadinessWait() {
  }

  /**
   * Returns once {@code ready} holds; IOException naming {@code what} and its {@code log} when the process
   * exits first or {@code timeout} passes.
   */
  static void await(Process process, String what, Duration timeout, Path log, BooleanSupplier ready)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException("the " + what + " exited with " + process.exitValue() + "; see " + log);
      }
      if (ready.getAsBoolean()) {
        return;
      }
      Thread.sleep(POLL_MILLIS);
    }
    throw new IOException("the " + what + " was not ready within " + timeout.toSeconds() + " s; see " + log);
  }
}
