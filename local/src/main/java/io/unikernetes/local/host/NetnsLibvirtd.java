package io.unikernetes.local.host;

import io.unikernetes.local.process.CommandResult;
import io.unikernetes.local.repository.Repository;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A private libvirtd whose guests sit on a bridge inside a network namespace this test creates
 * (hack/netns-libvirtd.sh): guest traffic, probes and test clients stay inside it.
 */
public final class NetnsLibvirtd implements AutoCloseable {

  private final Path script;
  private final Path state;
  private final String netns;
  private final String uri;
  private final List<Process> relays = new ArrayList<>();

  private NetnsLibvirtd(Path script, Path state, String netns, String uri) {
    this.script = script;
    this.state = state;
    this.netns = netns;
    this.uri = uri;
  }

  /** Starts it with {@code bridge} holding {@code gateway} (address/prefix) inside {@code netns}. */
  public static NetnsLibvirtd start(Repository repo, Path state, String netns, String bridge, String gateway)
      throws Exception {
    return start(repo, state, List.of(state.toString(), netns, bridge, gateway), netns);
  }

  /** Starts it in {@code netns} without a bridge: an agent's libvirt network (--guest-network) makes one. */
  public static NetnsLibvirtd start(Repository repo, Path state, String netns) throws Exception {
    return start(repo, state, List.of(state.toString(), netns), netns);
  }

  private static NetnsLibvirtd start(Repository repo, Path state, List<String> arguments, String netns)
      throws Exception {
    Path script = repo.root().resolve("hack/netns-libvirtd.sh");
    List<String> command = new ArrayList<>(List.of("bash", script.toString(), "up"));
    command.addAll(arguments);
    CommandResult up = CommandResult.run(command, Map.of(), null);
    if (up.exitCode() != 0) {
      throw new IllegalStateException("netns-libvirtd up failed: " + up.output());
    }
    return new NetnsLibvirtd(script, state, netns, up.stdout().trim().lines().reduce((a, b) -> b).orElseThrow());
  }

  /** The libvirt URI of the private daemon (a Unix socket under the state directory). */
  public String uri() {
    return uri;
  }

  /** Runs {@code command} inside the network namespace. */
  public CommandResult inNetns(String... command) throws Exception {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", netns));
    full.addAll(List.of(command));
    return CommandResult.run(full, Map.of(), null);
  }

  /** The body of GET {@code url} from inside the namespace, or empty when it does not answer within 2 s. */
  public java.util.Optional<String> httpGet(String url) throws Exception {
    CommandResult get = inNetns("curl", "-s", "-f", "-m", "2", url);
    return get.exitCode() == 0 ? java.util.Optional.of(get.stdout().trim()) : java.util.Optional.empty();
  }

  /** The namespace's name, for commands run inside it. */
  public String netns() {
    return netns;
  }

  /**
   * Makes 127.0.0.1:{@code port} inside the namespace reach 127.0.0.1:{@code port} outside it (the API server,
   * an image server) through a Unix socket, so a process inside talks to them over loopback only.
   */
  public void relay(int port) throws Exception {
    relays.addAll(LoopbackRelay.start(netns, port, state));
  }

  @Override
  public void close() throws Exception {
    relays.forEach(Process::destroy);
    CommandResult down = CommandResult.run(List.of("bash", script.toString(), "down", state.toString(), netns),
        Map.of(), null);
    if (down.exitCode() != 0) {
      throw new IllegalStateException("netns-libvirtd down failed: " + down.output());
    }
  }
}
