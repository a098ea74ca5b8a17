package io.unikernetes.agent.console;

import io.unikernetes.agent.domain.DomainFlavor;
import io.unikernetes.agent.hypervisor.DomainNames;
import io.unikernetes.agent.hypervisor.GuestIdentity;
import io.unikernetes.api.v1alpha1.spec.BootMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each guest's console output lands on the host. QEMU guests write their serial port to a file the
 * agent names; Xen PV/PVH guests write to the Xen console, which xenconsoled logs per domain name.
 */
public final class ConsoleLogs {

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleLogs.class);

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

  /**
   * Moves the log of a guest's earlier boot aside (to NAME.previous) before the domain starts again, so the
   * head reported in status is this boot's. QEMU would truncate its file anyway, but xenconsoled appends to
   * guest-NAME.log across restarts of a domain.
   */
  public void rotate(Path log) {
    try {
      if (Files.exists(log)) {
        Files.move(log, previous(log), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      LOG.warn("cannot move {} aside ({}); the guest's console head may show an earlier boot", log, e.toString());
    }
  }

  private static Path previous(Path log) {
    return log.resolveSibling(log.getFileName() + ".previous");
  }

  /**
   * Removes a deleted guest's logs: the agent's own, and the earlier boots' it moved aside. xenconsoled's
   * current log of a Xen guest is left to the host's log rotation, as for any domain.
   */
  public void delete(GuestIdentity guest, BootMode bootMode) {
    Path log = pathFor(guest, bootMode);
    try {
      Files.deleteIfExists(previous(log));
      if (log.startsWith(agentConsoleDir)) {
        Files.deleteIfExists(log);
      }
    } catch (IOException ignored) {
      // stale console logs are harmless and named by UID
    }
  }

}
