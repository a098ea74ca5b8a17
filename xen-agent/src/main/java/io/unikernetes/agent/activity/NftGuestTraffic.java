package io.unikernetes.agent.activity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guest traffic from nftables ({@link ActivityRules}), read with the {@code nft} command (Debian's nftables
 * package), as kube-proxy's nftables mode drives it. Needs CAP_NET_ADMIN, which the agent has as root.
 */
public final class NftGuestTraffic implements GuestTraffic {

  private static final Logger LOG = LoggerFactory.getLogger(NftGuestTraffic.class);
  private static final long TIMEOUT_SECONDS = 10;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String executable;
  private final String bridge;
  private final Clock clock;
  private volatile boolean installed;
  private volatile boolean bridged;

  private NftGuestTraffic(String executable, String bridge, Clock clock) {
    this.executable = executable;
    this.bridge = bridge;
    this.clock = clock;
  }

  /**
   * Installs the rules for {@code bridge}. When nft is missing or refuses, says so in the log and returns an
   * instance that cannot tell ({@link #lastSeen} empty), so the agent still runs.
   */
  public static NftGuestTraffic install(String executable, String bridge, Clock clock) {
    NftGuestTraffic traffic = new NftGuestTraffic(executable, bridge, clock);
    try {
      traffic.run(List.of(executable, "-f", "-"), ActivityRules.installRouted(bridge));
      traffic.installed = true;
      LOG.info("guest traffic routed to bridge {} is noted in nftables table inet {}", bridge,
          ActivityRules.table(bridge));
    } catch (IOException e) {
      LOG.warn("cannot note guest traffic (scale-to-zero deployments on this node take every guest for active): "
          + "{}", e.getMessage());
      return traffic;
    }
    try {
      traffic.run(List.of(executable, "-f", "-"), ActivityRules.installBridged(bridge));
      traffic.bridged = true;
    } catch (IOException e) {
      LOG.info("traffic between guests on bridge {} is not noted (the kernel lacks nft_meta_bridge?): {}", bridge,
          e.getMessage());
    }
    return traffic;
  }

  @Override
  public Optional<Map<String, Instant>> lastSeen() {
    if (!installed) {
      return Optional.empty();
    }
    String table = ActivityRules.table(bridge);
    Map<String, Instant> seen = new HashMap<>();
    try {
      Instant now = clock.instant();
      for (ActivityRules.Family family : families()) {
        String json = run(List.of(executable, "-j", "list", "set", family.nftName(), table, ActivityRules.SET), "");
        parse(json, now, seen);
      }
      return Optional.of(seen);
    } catch (IOException e) {
      LOG.warn("cannot read guest traffic: {}", e.getMessage());
      return Optional.empty();
    }
  }

  /** Adds the elements of one {@code nft -j list set} answer, keeping the later time per address. */
  static void parse(String json, Instant now, Map<String, Instant> into) throws IOException {
    for (JsonNode item : JSON.readTree(json).path("nftables")) {
      JsonNode set = item.path("set");
      long timeout = set.path("timeout").asLong(ActivityRules.TIMEOUT_SECONDS);
      for (JsonNode element : set.path("elem")) {
        JsonNode elem = element.path("elem");
        String address = elem.path("val").asText(null);
        if (address == null || !elem.has("expires")) {
          continue;
        }
        long elementTimeout = elem.path("timeout").asLong(timeout);
        // nft prints whole seconds left, rounded down: the last packet came up to a second later than
        // timeout - expires says. Counted as late as it may have been, so nothing looks idle early.
        Instant at = now.minusSeconds(Math.max(0, elementTimeout - elem.path("expires").asLong() - 1));
        into.merge(address, at, (a, b) -> a.isAfter(b) ? a : b);
      }
    }
  }

  @Override
  public void close() {
    if (installed) {
      installed = false;
      for (ActivityRules.Family family : families()) {
        try {
          run(List.of(executable, "-f", "-"), ActivityRules.remove(family, bridge));
        } catch (IOException e) {
          LOG.warn("cannot remove nftables table {} {}: {}", family, ActivityRules.table(bridge), e.getMessage());
        }
      }
    }
  }

  /** The families of the tables installed. */
  private List<ActivityRules.Family> families() {
    return bridged ? List.of(ActivityRules.Family.INET, ActivityRules.Family.BRIDGE)
        : List.of(ActivityRules.Family.INET);
  }

  private String run(List<String> command, String input) throws IOException {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException("cannot run " + command.get(0) + " (install nftables on this node): " + e.getMessage(),
          e);
    }
    try (OutputStream in = process.getOutputStream()) {
      in.write(input.getBytes(StandardCharsets.UTF_8));
    }
    String output;
    try (InputStream out = process.getInputStream()) {
      output = new String(out.readAllBytes(), StandardCharsets.UTF_8); // before waiting: a full pipe would block
    }
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0), e);
    }
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
          + output.trim());
    }
    return output;
  }
}
