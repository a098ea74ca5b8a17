package io.unikernetes.e2e.qemu;

import static org.awaitility.Awaitility.await;

import io.unikernetes.e2e.support.CommandResult;
import io.unikernetes.e2e.support.Virsh;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** This machine's libvirtd, started by hack/setup-host.sh as a daemon: restarted the way an upgrade would. */
final class Libvirtd {

  private Libvirtd() {
  }

  /** Stops libvirtd (QEMU guests keep running) and starts it again; returns once it answers. */
  static void restart(Virsh virsh) throws Exception {
    CommandResult.run(List.of("pkill", "-TERM", "-x", "libvirtd"), Map.of(), null);
    await().atMost(Duration.ofSeconds(30)).until(() ->
        CommandResult.run(List.of("pgrep", "-x", "libvirtd"), Map.of(), null).exitCode() != 0);
    CommandResult started = CommandResult.run(List.of("libvirtd", "-d"), Map.of(), null);
    if (started.exitCode() != 0) {
      throw new IllegalStateException("libvirtd did not start again: " + started.output());
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> virsh.run("version").contains("Running hypervisor"));
  }
}
