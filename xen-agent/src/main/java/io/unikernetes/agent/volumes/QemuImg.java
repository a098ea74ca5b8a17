package io.unikernetes.agent.volumes;

import io.unikernetes.agent.domain.DiskFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * QEMU's disk image tool ({@code qemu-img}, Debian's qemu-utils), the standard writer of qcow2 files: libvirt's
 * own storage driver calls it for the same job.
 */
public class QemuImg {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final String executable;

  /** {@code executable}: the command, found on PATH unless a path is given. */
  public QemuImg(String executable) {
    this.executable = executable;
  }

  /**
   * Writes an empty qcow2 overlay at {@code overlay} whose reads fall through to {@code base} (an absolute path,
   * recorded in the overlay with its format, which libvirt requires). IOException with qemu-img's message.
   */
  public void createOverlay(Path base, DiskFormat baseFormat, Path overlay) throws IOException {
    run(List.of(executable, "create", "-q", "-f", "qcow2", "-F", baseFormat.libvirtType(), "-b",
        base.toAbsolutePath().toString(), overlay.toString()));
  }

  private static void run(List<String> command) throws IOException {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException("cannot run " + command.get(0) + " (install qemu-utils on this node): " + e.getMessage(), e);
    }
    try {
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish within " + TIMEOUT.toSeconds() + " s");
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (process.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): " + output);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0), e);
    }
  }
}
