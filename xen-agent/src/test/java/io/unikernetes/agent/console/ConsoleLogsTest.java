package io.unikernetes.agent.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.agent.domain.DomainFlavor;
import io.unikernetes.agent.hypervisor.GuestIdentity;
import io.unikernetes.api.v1alpha1.spec.BootMode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleLogsTest {

  private static final GuestIdentity GUEST = new GuestIdentity("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "shop", "cart",
      "xen-01");

  @TempDir
  Path dir;

  @Test
  void xenGuestsAreReadFromXenconsoledsLogAndQemuGuestsFromTheAgentsOwn() {
    ConsoleLogs xen = new ConsoleLogs(dir.resolve("agent"), dir.resolve("xen"), DomainFlavor.XEN);
    assertThat(xen.pathFor(GUEST, BootMode.PVH)).isEqualTo(dir.resolve("xen/guest-uk_shop_cart_0f1e2d3c.log"));
    assertThat(xen.pathFor(GUEST, BootMode.PV)).isEqualTo(dir.resolve("xen/guest-uk_shop_cart_0f1e2d3c.log"));
    assertThat(xen.pathFor(GUEST, BootMode.HVM)).isEqualTo(dir.resolve("agent").resolve(GUEST.uid() + ".log"));
  }

  @Test
  void aRebootStartsAFreshLogAndKeepsThePreviousBootsAside() throws Exception {
    ConsoleLogs logs = new ConsoleLogs(dir.resolve("agent"), dir.resolve("xen"), DomainFlavor.XEN);
    Path log = logs.pathFor(GUEST, BootMode.PVH);
    logs.rotate(log); // nothing to move on a first boot
    Files.createDirectories(log.getParent());
    Files.writeString(log, "UNIKERNEL READY cmdline=first boot\n");

    logs.rotate(log);

    assertThat(log).doesNotExist();
    assertThat(log.resolveSibling(log.getFileName() + ".previous")).hasContent("UNIKERNEL READY cmdline=first boot");
    assertThat(ConsoleHead.read(log)).isEmpty();
  }

  @Test
  void deletingAGuestRemovesTheLogsTheAgentMadeAndLeavesXenconsoledsOwn() throws Exception {
    ConsoleLogs logs = new ConsoleLogs(dir.resolve("agent"), dir.resolve("xen"), DomainFlavor.XEN);
    Path log = logs.pathFor(GUEST, BootMode.PV);
    Files.createDirectories(log.getParent());
    Files.writeString(log, "second boot\n");
    Path previous = Files.writeString(log.resolveSibling(log.getFileName() + ".previous"), "first boot\n");

    logs.delete(GUEST, BootMode.PV);

    assertThat(previous).doesNotExist();
    assertThat(log).exists();
  }
}
