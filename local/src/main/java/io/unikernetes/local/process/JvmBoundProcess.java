package io.unikernetes.local.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child processes that die with this JVM, even when it crashes and skips its shutdown hooks: orphaned API
 * servers or emulated Xen hosts would otherwise keep running on the machine. A small shell watchdog runs the
 * command and kills it (SIGKILL) once this JVM is gone, or when the watchdog itself is stopped.
 */
public final class JvmBoundProcess {

  private JvmBoundProcess() {
  }

  /** Starts {@code command} with its output (stdout and stderr) appended to {@code log}. */
  public static Process start(List<String> command, Path log) throws IOException {
    // Polls rather than wait -n: a child that exits between two waits would be missed ("no such job").
    String watchdog = "\"$@\" & child=$!; trap 'kill -9 $child 2>/dev/null; exit 143' TERM INT; "
        + "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do "
        + "if ! kill -0 $child 2>/dev/null; then wait $child; exit $?; fi; "
        + "sleep 1 & wait $!; done; kill -9 $child";
    List<String> supervised = new ArrayList<>(List.of("bash", "-c", watchdog, "--"));
    supervised.addAll(command);
    return new ProcessBuilder(supervised)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /** Stops a process started here (SIGTERM, then SIGKILL after {@code grace}). */
  public static void stop(Process process, java.time.Duration grace) {
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        // Gone before the caller goes on: what it held (a port, a tap device) may be taken again at once.
        process.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
