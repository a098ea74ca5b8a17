package io.unikernetes.common.net;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 network in CIDR notation, such as 10.240.3.0/24: the guest pool of a cluster and the guest subnet
 * of each XenNode. The network address has no host bits set.
 *
 * @param network the network address as an unsigned 32-bit value held in an int
 * @param prefixLength 0 to 32
 */
public record Ipv4Subnet(int network, int prefixLength) {

  private static final Pattern CIDR = Pattern.compile("([0-9.]+)/(\\d{1,2})");
  private static final Pattern ADDRESS = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  public Ipv4Subnet {
    if (prefixLength < 0 || prefixLength > 32) {
      throw new IllegalArgumentException("prefix length must be 0 to 32, got " + prefixLength);
    }
    if ((network & ~mask(prefixLength)) != 0) {
      throw new IllegalArgumentException(format(network) + "/" + prefixLength + " has host bits set; the network is "
          + format(network & mask(prefixLength)) + "/" + prefixLength);
    }
  }

  /**
   * Parses {@code a.b.c.d/n}.
   *
   * @throws IllegalArgumentException naming the text when it is not an IPv4 CIDR or has host bits set
   */
  public static Ipv4Subnet parse(String cidr) {
    Matcher m = cidr == null ? null : CIDR.matcher(cidr.trim());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("'" + cidr + "' is not an IPv4 CIDR such as 10.240.0.0/16");
    }
    OptionalInt address = parseAddress(m.group(1));
    if (address.isEmpty()) {
      throw new IllegalArgumentException("'" + cidr + "' is not an IPv4 CIDR: " + m.group(1) + " has an octet over 255");
    }
    return new Ipv4Subnet(address.getAsInt(), Integer.parseInt(m.group(2)));
  }

  /** A dotted IPv4 address as an unsigned 32-bit value in an int, or empty when it is not one. */
  private static OptionalInt parseAddress(String text) {
    Matcher m = text == null ? null : ADDRESS.matcher(text);
    if (m == null || !m.matches()) {
      return OptionalInt.empty();
    }
    int value = 0;
    for (int i = 1; i <= 4; i++) {
      int octet = Integer.parseInt(m.group(i));
      if (octet > 255) {
        return OptionalInt.empty();
      }
      value = value << 8 | octet;
    }
    return OptionalInt.of(value);
  }

  /** How many addresses the network spans, 2^(32 - prefixLength). */
  public long size() {
    return 1L << (32 - prefixLength);
  }

  public boolean overlaps(Ipv4Subnet other) {
    int shorter = Math.min(prefixLength, other.prefixLength);
    return (network & mask(shorter)) == (other.network & mask(shorter));
  }

  /**
   * The {@code index}th subnet of {@code length} inside this one (0 is the first), or empty past the last.
   *
   * @throws IllegalArgumentException if {@code length} is shorter than this network's prefix or over 32
   */
  public Optional<Ipv4Subnet> subnet(int length, long index) {
    if (length < prefixLength || length > 32) {
      throw new IllegalArgumentException("a /" + length + " does not fit in " + this);
    }
    long count = 1L << (length - prefixLength);
    if (index < 0 || index >= count) {
      return Optional.empty();
    }
    return Optional.of(new Ipv4Subnet((int) (Integer.toUnsignedLong(network) + (index << (32 - length))), length));
  }

  /**
   * The address at {@code offset} from the network address: offset 1 of 10.240.3.0/24 is 10.240.3.1.
   *
   * @throws IllegalArgumentException when the offset lies outside the network
   */
  public String address(long offset) {
    if (offset < 0 || offset >= size()) {
      throw new IllegalArgumentException("offset " + offset + " is outside " + this);
    }
    return format((int) (Integer.toUnsignedLong(network) + offset));
  }

  /** The offset of {@code address} from the network address (inverse of {@link #address}), if it lies here. */
  public OptionalLong offsetOf(String address) {
    OptionalInt value = parseAddress(address);
    if (value.isEmpty() || (value.getAsInt() & mask(prefixLength)) != network) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Integer.toUnsignedLong(value.getAsInt()) - Integer.toUnsignedLong(network));
  }

  /** Whether the dotted IPv4 {@code address} lies in this network; false for anything that is not one. */
  public boolean contains(String address) {
    OptionalInt value = parseAddress(address);
    return value.isPresent() && (value.getAsInt() & mask(prefixLength)) == network;
  }

  /** The netmask in dotted form: 255.255.255.0 for a /24. */
  public String netmask() {
    return format(mask(prefixLength));
  }

  @Override
  public String toString() {
    return format(network) + "/" + prefixLength;
  }

  private static int mask(int length) {
    return length == 0 ? 0 : -1 << (32 - length);
  }

  static String format(int address) {
    return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
  }
}
