package io.unikernetes.agent.domain;

import java.util.BitSet;

/**
 * A set of host CPUs as libvirt and Linux write them: numbers and ranges, comma-separated ({@code 0},
 * {@code 0-1,4}). Canonical text: ascending, ranges merged.
 */
public record CpuSet(BitSet cpus) {

  public CpuSet {
    cpus = (BitSet) cpus.clone();
    if (cpus.isEmpty()) {
      throw new IllegalArgumentException("a CPU set holds at least one CPU");
    }
  }

  /**
   * @param text e.g. {@code 0}, {@code 0-1,4}
   * @throws IllegalArgumentException when {@code text} is not such a list, or a range runs backwards
   */
  public static CpuSet parse(String text) {
    BitSet cpus = new BitSet();
    for (String part : text.split(",", -1)) {
      String item = part.trim();
      if (!item.matches("\\d{1,4}(-\\d{1,4})?")) {
        throw new IllegalArgumentException("'" + text + "' is not a list of CPU numbers and ranges: give e.g. 0 or "
            + "0-1,4");
      }
      String[] bounds = item.split("-");
      int first = Integer.parseInt(bounds[0]);
      int last = bounds.length == 2 ? Integer.parseInt(bounds[1]) : first;
      if (last < first) {
        throw new IllegalArgumentException("'" + text + "': the range " + item + " runs backwards");
      }
      cpus.set(first, last + 1);
    }
    return new CpuSet(cpus);
  }

  public int size() {
    return cpus.cardinality();
  }

  /**
   * The CPUs of {@code host} that are not in this set.
   *
   * @throws IllegalArgumentException when this set names a CPU the host does not have, or holds all of them
   */
  public CpuSet othersOf(CpuSet host) {
    BitSet missing = (BitSet) cpus.clone();
    missing.andNot(host.cpus);
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("CPU " + new CpuSet(missing) + " is not on this host: its CPUs are " + host);
    }
    BitSet others = (BitSet) host.cpus.clone();
    others.andNot(cpus);
    if (others.isEmpty()) {
      throw new IllegalArgumentException("CPUs " + this + " are all the host's: leave guests one");
    }
    return new CpuSet(others);
  }

  @Override
  public BitSet cpus() {
    return (BitSet) cpus.clone();
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (int first = cpus.nextSetBit(0); first >= 0; ) {
      int end = cpus.nextClearBit(first); // exclusive
      text.append(text.isEmpty() ? "" : ",").append(first).append(end - 1 > first ? "-" + (end - 1) : "");
      first = cpus.nextSetBit(end);
    }
    return text.toString();
  }
}
