package io.unikernetes.api.v1alpha1.spec;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An amount of CPU in millicores (1000 = one host CPU), parsed from a Kubernetes quantity ("50m", "0.5", "2").
 * As Kubernetes does, finer amounts round up to the next millicore.
 */
public record CpuAmount(long millis) implements Comparable<CpuAmount> {

  public static final CpuAmount ZERO = new CpuAmount(0);

  public CpuAmount {
    if (millis < 0) {
      throw new IllegalArgumentException("CPU cannot be negative: " + millis + "m");
    }
  }

  /** @throws IllegalArgumentException when the text is not a non-negative quantity */
  public static CpuAmount parse(String quantity) {
    BigDecimal cores = Quantity.getAmountInBytes(new Quantity(quantity));
    try {
      return new CpuAmount(cores.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("CPU quantity " + quantity + " is out of range", e);
    }
  }

  public static CpuAmount ofCores(int cores) {
    return new CpuAmount(Math.multiplyExact(cores, 1000L));
  }

  public CpuAmount plus(CpuAmount other) {
    return new CpuAmount(Math.addExact(millis, other.millis));
  }

  public CpuAmount minus(CpuAmount other) {
    return new CpuAmount(Math.max(0, millis - other.millis));
  }

  public CpuAmount times(long count) {
    return new CpuAmount(Math.multiplyExact(millis, count));
  }

  /** The quantity notation of status fields and messages: whole cores when exact ("2"), else millicores ("1900m"). */
  public String toQuantity() {
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m";
  }

  @Override
  public int compareTo(CpuAmount other) {
    return Long.compare(millis, other.millis);
  }

  @Override
  public String toString() {
    return toQuantity();
  }
}
