package io.unikernetes.e2e.xen;

import io.unikernetes.common.net.Ipv4Subnet;
import io.unikernetes.local.process.BuildScript;
import io.unikernetes.local.process.CommandResult;
import io.unikernetes.local.process.JvmBoundProcess;
import io.unikernetes.local.process.LoopbackPorts;
import io.unikernetes.local.repository.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real Xen host for tests: Xen 4.17 and a Debian dom0 nested in QEMU under software emulation, booted by
 * hack/boot-xen-host.sh from the image hack/build-xen-host.sh caches. dom0's sshd and libvirtd are forwarded
 * to this machine's loopback; dom0 reaches this machine's loopback as {@link #OUTER_HOST}.
 */
public final class XenHost implements AutoCloseable {

  /** This machine as dom0 sees it (QEMU's user network maps it to the outer loopback). */
  public static final String OUTER_HOST = "10.0.2.2";
  private static final String READY = "[dom0-init] XEN HOST READY";
  private static final String FAILED = "[dom0-init] FAILED";
  /** The kernel's word that dom0's root did not fit in its memory. */
  private static final String UNPACK_FAILED = "Initramfs unpacking failed";

  private final Process qemu;
  private final Path workDir;
  private final Path console;
  private final int sshPort;
  private final int libvirtPort;

  private XenHost(Process qemu, Path workDir, Path console, int sshPort, int libvirtPort) {
    this.qemu = qemu;
    this.workDir = workDir;
    this.console = console;
    this.sshPort = sshPort;
    this.libvirtPort = libvirtPort;
  }

  /**
   * Builds the host's image once (hack/build-xen-host.sh: Debian packages only; about a minute, longer on a
   * slow mirror) and returns its directory.
   */
  public static Path image(Repository repo) throws IOException, InterruptedException {
    return BuildScript.run(repo.root().resolve("hack/build-xen-host.sh"));
  }

  /**
   * Boots the host with {@code files} added to dom0's root and waits until Xen, libvirt and sshd answer.
   * Emulation is slow and, rarely, a boot stalls under load: one stalled boot is retried; a boot that failed
   * (dom0 said so, or QEMU exited) is not.
   */
  public static XenHost boot(Repository repo, Path image, Path workDir, Path files, Duration timeout)
      throws IOException, InterruptedException {
    return boot(repo, image, workDir, files, Optional.empty(), timeout);
  }

  /**
   * As {@link #boot(Repository, Path, Path, Path, Duration)}, with a second NIC (dom0's eth1) on a tap device
   * named {@code clusterTap} that QEMU creates in this machine's network namespace; see {@link #linkCluster}.
   */
  public static XenHost boot(Repository repo, Path image, Path workDir, Path files, Optional<String> clusterTap,
      Duration timeout) throws IOException, InterruptedException {
    try {
      return bootOnce(repo, image, workDir.resolve("boot-1"), files, clusterTap, timeout);
    } catch (BootStalled stalled) {
      System.err.println("[xen-host] first boot stalled, retrying once: " + stalled.getMessage());
      return bootOnce(repo, image, workDir.resolve("boot-2"), files, clusterTap, timeout);
    }
  }

  private static XenHost bootOnce(Repository repo, Path image, Path workDir, Path files, Optional<String> clusterTap,
      Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    int sshPort = LoopbackPorts.free();
    int libvirtPort = LoopbackPorts.free();
    Path console = workDir.resolve("console.log");
    List<String> command = new ArrayList<>(List.of("bash", repo.root().resolve("hack/boot-xen-host.sh").toString(),
        "--image", image.toString(), "--work", workDir.toString(), "--files", files.toString(),
        "--ssh-port", String.valueOf(sshPort), "--libvirt-port", String.valueOf(libvirtPort)));
    clusterTap.ifPresent(tap -> command.addAll(List.of("--cluster-tap", tap)));
    Process qemu = JvmBoundProcess.start(command, console);
    XenHost host = new XenHost(qemu, workDir, console, sshPort, libvirtPort);
    try {
      host.awaitReady(timeout);
      return host;
    } catch (IOException | InterruptedException | RuntimeException e) {
      host.close();
      throw e;
    }
  }

  private void awaitReady(Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      String text = consoleText();
      if (text.contains(READY)) {
        deleteInitrd();
        return;
      }
      if (text.contains(FAILED) || text.contains(UNPACK_FAILED) || !qemu.isAlive()) {
        throw new IOException("the Xen host did not come up; see " + console);
      }
      Thread.sleep(500);
    }
    throw new BootStalled("the Xen host was not ready within " + timeout.toSeconds() + " s; see " + console);
  }

  private static final class BootStalled extends IOException {
    BootStalled(String message) {
      super(message);
    }
  }

  /** QEMU loaded the boot's initrd (the 400 MB rootfs plus this boot's files) into guest memory at start. */
  private void deleteInitrd() {
    try {
      Files.deleteIfExists(workDir.resolve("initrd.cpio"));
    } catch (IOException e) {
      System.err.println("[xen-host] cannot delete " + workDir.resolve("initrd.cpio") + ": " + e);
    }
  }

  /** Xen's and dom0's console so far. */
  public String consoleText() throws IOException {
    return Files.exists(console) ? Files.readString(console, StandardCharsets.ISO_8859_1) : "";
  }

  public Path consoleLog() {
    return console;
  }

  /** Runs a shell command in dom0 as root. */
  public CommandResult ssh(String command) throws IOException, InterruptedException {
    List<String> ssh = new ArrayList<>(List.of("ssh", "-p", String.valueOf(sshPort), "-i",
        workDir.resolve("id_ed25519").toString(), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
        "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=20", "-o", "BatchMode=yes", "root@127.0.0.1", command));
    return CommandResult.run(ssh, Map.of(), null);
  }

  /**
   * Addresses dom0's eth1 (the NIC on the cluster tap) with the first address of {@code link}, a /30 whose
   * second address is the cluster side's, and lets dom0 forward between it and the guests' bridge, as a Xen
   * host in a cluster that routes guest subnets to their hosts does.
   *
   * @throws IOException when dom0 refuses (no eth1: the host was booted without a cluster tap)
   */
  public void linkCluster(Ipv4Subnet link) throws IOException, InterruptedException {
    CommandResult up = ssh("ip addr add " + link.address(1) + "/" + link.prefixLength() + " dev eth1"
        + " && ip link set eth1 up && sysctl -qw net.ipv4.ip_forward=1");
    if (up.exitCode() != 0) {
      throw new IOException("cannot address dom0's eth1: " + up.output());
    }
  }

  /** dom0's libvirt through its remote protocol, as virsh -c URI from this machine. */
  public String libvirtUri() {
    return "xen+tcp://127.0.0.1:" + libvirtPort + "/system";
  }

  /** The same URL with this machine's loopback address replaced by the one dom0 reaches it at. */
  public static String asSeenFromDom0(String loopbackUrl) {
    return loopbackUrl.replace("://127.0.0.1:", "://" + OUTER_HOST + ":");
  }

  @Override
  public void close() {
    JvmBoundProcess.stop(qemu, Duration.ofSeconds(10));
    deleteInitrd();
  }
}
