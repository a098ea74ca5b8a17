package io.unikernetes.local.host;

import io.unikernetes.common.net.Ipv4Subnet;
import io.unikernetes.local.process.CommandResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A network namespace that plays the cluster's network beside a Xen-like host: a link (a /30 of {@code link})
 * joins the two, and a route sends the host's guest subnet through it, as a cluster routes guest subnets to
 * their Xen hosts. Traffic from here to guests is forwarded by the host, as Service traffic from cluster nodes
 * is. The host is a {@link NetnsLibvirtd} (a veth pair) or a nested Xen host's dom0 (the tap of its second
 * NIC); everything stays inside what the test created.
 */
public final class ClusterNetns implements AutoCloseable {

  private static final String HOST_SIDE = "uk-cluster";
  private static final String CLUSTER_SIDE = "uk-host";

  private final String netns;
  /** The host's namespace, where the veth pair's other end lives; empty over a tap. */
  private final Optional<String> hostNetns;
  private final String address;
  private final Path state;
  private final List<Process> relays = new ArrayList<>();

  private ClusterNetns(String netns, Optional<String> hostNetns, String address, Path state) {
    this.netns = netns;
    this.hostNetns = hostNetns;
    this.address = address;
    this.state = state;
  }

  /**
   * Creates {@code netns} linked to {@code host}'s namespace over {@code link} (a /30: the host takes its
   * first address, this namespace the second) with a route to {@code guestSubnet} through the host.
   */
  public static ClusterNetns start(NetnsLibvirtd host, Path state, String netns, Ipv4Subnet link,
      Ipv4Subnet guestSubnet) throws Exception {
    Files.createDirectories(state);
    String hostAddress = link.address(1);
    String address = link.address(2);
    ClusterNetns cluster = new ClusterNetns(netns, Optional.of(host.netns()), address, state);
    String prefix = "/" + link.prefixLength();
    cluster.create();
    return cluster.orClosed(() -> {
      cluster.run("ip", "-n", host.netns(), "link", "add", HOST_SIDE, "type", "veth", "peer", "name",
          CLUSTER_SIDE, "netns", netns);
      cluster.run("ip", "-n", host.netns(), "addr", "add", hostAddress + prefix, "dev", HOST_SIDE);
      cluster.run("ip", "-n", host.netns(), "link", "set", HOST_SIDE, "up");
      cluster.run("ip", "-n", netns, "addr", "add", address + prefix, "dev", CLUSTER_SIDE);
      cluster.run("ip", "-n", netns, "link", "set", CLUSTER_SIDE, "up");
      cluster.run("ip", "-n", netns, "route", "add", guestSubnet.toString(), "via", hostAddress);
      cluster.run("ip", "netns", "exec", host.netns(), "sysctl", "-qw", "net.ipv4.ip_forward=1");
    });
  }

  /**
   * Creates {@code netns} and moves {@code tap} into it: the tap of a virtual machine's NIC (QEMU keeps its
   * file descriptor across the move). This namespace takes the second address of {@code link}, the machine
   * the first (it addresses its own NIC), and {@code guestSubnet} is routed through the machine.
   */
  public static ClusterNetns overTap(String tap, Path state, String netns, Ipv4Subnet link, Ipv4Subnet guestSubnet)
      throws Exception {
    Files.createDirectories(state);
    String address = link.address(2);
    ClusterNetns cluster = new ClusterNetns(netns, Optional.empty(), address, state);
    cluster.create();
    return cluster.orClosed(() -> {
      cluster.run("ip", "link", "set", tap, "netns", netns);
      cluster.run("ip", "-n", netns, "addr", "add", address + "/" + link.prefixLength(), "dev", tap);
      cluster.run("ip", "-n", netns, "link", "set", tap, "up");
      cluster.run("ip", "-n", netns, "route", "add", guestSubnet.toString(), "via", link.address(1));
    });
  }

  private void create() throws Exception {
    run("ip", "netns", "add", netns);
    orClosed(() -> run("ip", "-n", netns, "link", "set", "lo", "up"));
  }

  /** A set-up step of a namespace already made. */
  private interface Step {
    void run() throws Exception;
  }

  /** This namespace once {@code setUp} ran, or, when it failed, none: the namespace is deleted again. */
  private ClusterNetns orClosed(Step setUp) throws Exception {
    try {
      setUp.run();
      return this;
    } catch (Exception e) {
      try {
        close();
      } catch (Exception cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** This namespace's address on the link: where the host's guests are reached from, and reach back. */
  public String address() {
    return address;
  }

  /** The namespace's name, for commands run inside it. */
  public String netns() {
    return netns;
  }

  /** Runs {@code command} inside the namespace. */
  public CommandResult inNetns(String... command) throws Exception {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", netns));
    full.addAll(List.of(command));
    return CommandResult.run(full, Map.of(), null);
  }

  /** The body of GET {@code url} from inside the namespace, or empty when it does not answer within 2 s. */
  public Optional<String> httpGet(String url) throws Exception {
    CommandResult get = inNetns("curl", "-s", "-f", "-m", "2", url);
    return get.exitCode() == 0 ? Optional.of(get.stdout().trim()) : Optional.empty();
  }

  /** As {@link NetnsLibvirtd#relay}: 127.0.0.1:{@code port} here reaches 127.0.0.1:{@code port} outside. */
  public void relay(int port) throws Exception {
    relays.addAll(LoopbackRelay.start(netns, port, state));
  }

  private void run(String... command) throws Exception {
    CommandResult result = CommandResult.run(List.of(command), Map.of(), null);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + result.output());
    }
  }

  /**
   * Stops the relays and deletes the namespace (its end of the veth pair takes the host's end with it; a tap
   * goes with the namespace, or with its machine).
   */
  @Override
  public void close() throws Exception {
    relays.forEach(Process::destroy);
    if (hostNetns.isPresent()) {
      CommandResult.run(List.of("ip", "-n", hostNetns.get(), "link", "del", HOST_SIDE), Map.of(), null);
    }
    run("ip", "netns", "del", netns);
  }
}
