package io.unikernetes.agent.activity;

import java.util.Locale;

/**
 * The nftables rules that note traffic to guests: every packet the host forwards to the guest bridge, routed
 * (inet family, forward hook) or bridged between guests (bridge family, forward hook, where the kernel can
 * match the bridge), refreshes its destination's element in a set with a one-hour timeout, so an element's
 * remaining time tells when the guest last received traffic. Packets the host itself sends (the agent's probes)
 * take the output hook and are not noted. Pure: the texts handed to {@code nft -f -}.
 */
public final class ActivityRules {

  /** Timeout of the set elements: a guest idle longer than that has no element, i.e. no activity known. */
  public static final int TIMEOUT_SECONDS = 3600;
  /** Name of the set in both tables. */
  public static final String SET = "seen";

  /** The nftables families of the two tables. */
  public enum Family {
    /** Routed traffic (IPv4 and IPv6 in one table; only IPv4 is noted). */
    INET("inet"),
    /** Traffic between ports of a bridge. */
    BRIDGE("bridge");

    private final String nftName;

    Family(String nftName) {
      this.nftName = nftName;
    }

    /** The family as nft names it. */
    public String nftName() {
      return nftName;
    }
  }

  private ActivityRules() {
  }

  /** The tables' name for {@code bridge}: one per guest bridge, so agents of other bridges keep theirs. */
  public static String table(String bridge) {
    return "unikernetes_activity_" + bridge.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
  }

  /**
   * Creates or replaces the inet table (routed traffic) in one transaction; an existing table is emptied first,
   * so a restarted agent starts clean.
   */
  public static String installRouted(String bridge) {
    return install(Family.INET, bridge, "meta nfproto ipv4 oifname \"" + bridge + "\"");
  }

  /**
   * Creates or replaces the bridge table (traffic between guests on the bridge). It needs the kernel's
   * nft_meta_bridge (to match the bridge by name), which some kernels lack: it is installed apart from the
   * routed one.
   */
  public static String installBridged(String bridge) {
    return install(Family.BRIDGE, bridge, "ether type ip meta obrname \"" + bridge + "\"");
  }

  /** One table whose forward chain notes the destination of the packets {@code match} selects. */
  private static String install(Family family, String bridge, String match) {
    String table = family.nftName() + " " + table(bridge);
    return "add table " + table + "\n"
        + "delete table " + table + "\n"
        + "table " + table + " {\n"
        + "  set " + SET + " {\n"
        + "    type ipv4_addr; flags dynamic,timeout; timeout " + TIMEOUT_SECONDS + "s; size 65536;\n"
        + "  }\n"
        + "  chain forward {\n"
        + "    type filter hook forward priority filter; policy accept;\n"
        + "    " + match + " update @" + SET + " { ip daddr }\n"
        + "  }\n"
        + "}\n";
  }

  /** Removes the table of {@code family}. */
  public static String remove(Family family, String bridge) {
    return "delete table " + family.nftName() + " " + table(bridge) + "\n";
  }
}
