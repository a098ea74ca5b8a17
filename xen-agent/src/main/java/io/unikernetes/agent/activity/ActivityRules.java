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
    String table = table(bridge);
    return "add table inet " + table + "\n"
        + "delete table inet " + table + "\n"
        + "table inet " + table + " {\n"
        + set()
        + "  chain forward {\n"
        + "    type filter hook forward priority filter; policy accept;\n"
        + "    meta nfproto ipv4 oifname \"" + bridge + "\" update @" + SET + " { ip daddr }\n"
        + "  }\n"
        + "}\n";
  }

  /**
   * Creates or replaces the bridge table (traffic between guests on the bridge). It needs the kernel's
   * nft_meta_bridge (to match the bridge by name), which some kernels lack: it is installed apart from the
   * routed one.
   */
  public static String installBridged(String bridge) {
    String table = table(bridge);
    return "add table bridge " + table + "\n"
        + "delete table bridge " + table + "\n"
        + "table bridge " + table + " {\n"
        + set()
        + "  chain forward {\n"
        + "    type filter hook forward priority filter; policy accept;\n"
        + "    ether type ip meta obrname \"" + bridge + "\" update @" + SET + " { ip daddr }\n"
        + "  }\n"
        + "}\n";
  }

  /** Removes the table of {@code family} ("inet" or "bridge"). */
  public static String remove(String family, String bridge) {
    return "delete table " + family + " " + table(bridge) + "\n";
  }

  private static String set() {
    return "  set " + SET + " {\n"
        + "    type ipv4_addr; flags dynamic,timeout; timeout " + TIMEOUT_SECONDS + "s; size 65536;\n"
        + "  }\n";
  }
}
