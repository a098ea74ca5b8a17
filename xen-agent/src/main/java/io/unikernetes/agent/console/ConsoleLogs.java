package io.unikernetes.agent.console;

import io.unikernetes.agent.domain.DomainFlavor;
import io.unikernetes.agent.hypervisor.DomainNames;
import io.unikernetes.agent.hypervisor.GuestIdentity;
import io.unikernetes.api.v1alpha1.spec.BootMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where each guest's console output lands on the host. QEMU guests write their serial port to a file the
 * agent names; Xen PV/PVH guests write to the Xen console, which xenconsoled logs per domain name.
 */
public final class ConsoleLogs {

  private final Path agentConsoleDir;
  private final Path xenConsoleDir;
  private final DomainFlavor flavor;

  public ConsoleLogs(Path agentConsoleDir, Path xenConsoleDir, DomainFlavor flavor) {
    this.agentConsoleDir = agentConsoleDir;
    this.xenConsoleDir = xenConsoleDir;
    this.flavor = flavor;
  }

  public Path pathFor(GuestIdentity guest, BootMode bootMode) {
    if (flavor == DomainFlavor.XEN && bootMode != BootMode.HVM) {
      return xenConsoleDir.resolve("guest-" + DomainNames.of(guest) + ".log");
    }
    return agentConsoleDir.resolve(guest.uid() + ".log");
  }

  /** Makes sure the directory exists (QEMU creates the file, not its directory). */
  public void prepare() throws IOException {
    Files.createDirectories(agentConsoleDir);
  }

  /** Removes a deleted guest's log; xenconsoled's own logs are left to the host's log rotation. */
  public void delete(GuestIdentity guest, BootMode bootMode) {
    Path log = pathFor(guest, bootMode);
    if (log.startsWith(agentConsoleDir)) {
      try {
        Files.deleteIfExists(log);
      } catch (IOException ignored) {
        // stale console logs are harmless and named by UID
      }
    }
  }
}
