package io.unikernetes.agent.network;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** The MAC address of a guest's interface, derived from its Unikernel's UID so it never changes. */
public final class GuestMacs {

  private GuestMacs() {
  }

  /**
   * {@code 02:xx:xx:xx:xx:xx}: locally administered unicast (IEEE 802: bit 1 of the first octet set, bit 0
   * clear), the other five octets from a name-based UUID of {@code uid}.
   */
  public static String of(String uid) {
    long bits = UUID.nameUUIDFromBytes(uid.getBytes(StandardCharsets.UTF_8)).getLeastSignificantBits();
    StringBuilder mac = new StringBuilder("02");
    for (int shift = 32; shift >= 0; shift -= 8) {
      mac.append(':').append(String.format("%02x", (bits >>> shift) & 0xff));
    }
    return mac.toString();
  }
}
