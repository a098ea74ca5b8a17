package io.unikernetes.api.v1alpha1.spec;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;

/** An amount of memory, parsed from a Kubernetes quantity ("64Mi", "2Gi", "1073741824"). */
public record MemorySize(long bytes) implements Comparable<MemorySize> {

  public static final MemorySize ZERO = new MemorySize(0);
  private static final long MIB = 1024L * 1024L;

  public MemorySize {
    if (bytes < 0) {
      throw new IllegalArgumentException("memory cannot be negative: " + bytes);
    }
  }

  public static MemorySize parse(String quantity) {
    BigDecimal amount = Quantity.getAmountInBytes(new Quantity(quantity));
    return new MemorySize(amount.longValueExact());
  }

  public static MemorySize ofMebibytes(long mebibytes) {
    return new MemorySize(Math.multiplyExact(mebibytes, MIB));
  }

  public static MemorySize ofKibibytes(long kibibytes) {
    return new MemorySize(Math.multiplyExact(kibibytes, 1024L));
  }

  public long kibibytes() {
    return bytes / 1024L;
  }

  /** Rounded down to whole mebibytes, for readable capacities. */
  public MemorySize floorToMebibytes() {
    return new MemorySize(bytes - bytes % MIB);
  }

  public MemorySize plus(MemorySize other) {
    return new MemorySize(Math.addExact(bytes, other.bytes));
  }

  public MemorySize times(long count) {
    return new MemorySize(Math.multiplyExact(bytes, count));
  }

  public MemorySize minus(MemorySize other) {
    return new MemorySize(Math.max(0, bytes - other.bytes));
  }

  /** The quantity notation used in status fields: whole Mi when exact, else bytes. */
  public String toQuantity() {
    return bytes % MIB == 0 ? (bytes / MIB) + "Mi" : Long.toString(bytes);
  }

  @Override
  public int compareTo(MemorySize other) {
    return Long.compare(bytes, other.bytes);
  }

  @Override
  public String toString() {
    return toQuantity();
  }
}
