package io.unikernetes.e2e.support;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.unikernetes.local.process.CommandResult;
import io.unikernetes.local.repository.Repository;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * This machine's libvirtd, started by hack/setup-host.sh (no systemd here), stopped and started again by
 * hack/start-libvirtd.sh, the way systemd would with the drop-in shipped in deploy/systemd/libvirtd.service.d:
 * every start first runs libvirtd-forget-unstarted-domains.sh. libvirtd's tini goes with it: QEMU processes that
 * outlive a stop fall to PID 1, whose slow reaping makes their destroys take 1.4-2 s (hack/start-libvirtd.sh).
 */
public final class Libvirtd {

  /** Where libvirt's QEMU driver keeps the status of each active domain. */
  private static final Path QEMU_STATE = Path.of("/run/libvirt/qemu");
  private static final Path PID_FILE = Path.of("/run/libvirtd.pid");
  /** In a status file: libvirt has no QEMU process for the domain (yet). */
  private static final String NO_PROCESS = "pid='0'";

  private final Path startLibvirtd;
  private final Virsh virsh;

  public Libvirtd(Repository repository, Virsh virsh) {
    this.startLibvirtd = repository.root().resolve("hack/start-libvirtd.sh");
    this.virsh = virsh;
  }

  /** A clean stop (SIGTERM, as for an upgrade; QEMU guests keep running), then a start; returns once it answers. */
  public void restart() throws Exception {
    stop("-TERM");
    start();
  }

  /** SIGKILL at whatever point libvirtd is, {@code down} without it, then a start; returns once it answers. */
  public void killAndRestart(Duration down) throws Exception {
    stop("-KILL");
    Thread.sleep(down.toMillis());
    start();
  }

  /**
   * Kills libvirtd (SIGKILL) in the window in which it is starting {@code domain} but has not recorded a
   * QEMU process yet: its status file says pid='0'. libvirtd is frozen (SIGSTOP) as soon as the file shows
   * that and killed only if it still does, so the window is hit exactly or not at all. Then {@code down}
   * without it and a start.
   *
   * @return false when the start got past the window first (libvirtd is left running, the domain starting)
   */
  public boolean killWhileStarting(String domain, Duration down, Duration timeout) throws Exception {
    Path status = QEMU_STATE.resolve(domain + ".xml");
    long pid = pid();
    LibC.INSTANCE.kill((int) pid, 0); // loads libc through JNA now, not inside the window (signal 0: a no-op)
    Instant deadline = Instant.now().plus(timeout);
    String seen;
    // Polled without sleeping and frozen in-process: the window lasts 3-13 ms here, and a 1 ms sleep plus
    // spawning kill(1) missed it five times in a row in one CI run.
    while ((seen = read(status)) == null) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("libvirt did not start " + domain + " within " + timeout);
      }
      Thread.onSpinWait();
    }
    if (!seen.contains(NO_PROCESS)) {
      return false;
    }
    LibC.INSTANCE.kill((int) pid, LibC.SIGSTOP);
    if (!String.valueOf(read(status)).contains(NO_PROCESS)) {
      LibC.INSTANCE.kill((int) pid, LibC.SIGCONT);
      return false;
    }
    stop("-KILL");
    Thread.sleep(down.toMillis());
    start();
    return true;
  }

  /** libc's kill(2); signal numbers of Linux on x86-64 and arm64 (signal(7)). */
  private interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);
    int SIGCONT = 18;
    int SIGSTOP = 19;

    int kill(int pid, int signal);
  }

  /** The file's text, or null while it does not exist (or cannot be read whole yet). */
  private static String read(Path status) {
    try {
      return Files.readString(status);
    } catch (Exception e) {
      return null;
    }
  }

  /** The system libvirtd, by its pid file: other libvirtd processes (a session daemon) are left alone. */
  private static long pid() throws Exception {
    return Long.parseLong(Files.readString(PID_FILE).trim());
  }

  private static void signal(String signal, long pid) throws Exception {
    run(List.of("kill", signal, Long.toString(pid)));
  }

  private static void stop(String signal) throws Exception {
    long pid = pid();
    signal(signal, pid);
    await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
  }

  private void start() throws Exception {
    String forgotten = run(List.of("bash", startLibvirtd.toString()));
    if (!forgotten.isBlank()) {
      System.out.println("[libvirtd] " + forgotten.strip()); // which domains a kill caught while starting
    }
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> virsh.run("version").contains("Running hypervisor"));
  }

  /** Runs {@code command} and returns its output (stdout and stderr). */
  private static String run(List<String> command) throws Exception {
    CommandResult result = CommandResult.run(command, Map.of(), null);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + result.output());
    }
    return result.output();
  }
}
