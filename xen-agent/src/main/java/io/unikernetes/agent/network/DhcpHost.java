package io.unikernetes.agent.network;

import java.util.Locale;

/** A DHCP reservation of a libvirt network: the guest with interface {@code mac} is given {@code ip}. */
public record DhcpHost(String mac, String ip) {

  public DhcpHost {
    mac = mac.toLowerCase(Locale.ROOT);
  }

  /** Whether this reservation and {@code other} claim the same MAC or the same address. */
  public boolean clashesWith(DhcpHost other) {
    return mac.equals(other.mac) || ip.equals(other.ip);
  }
}
