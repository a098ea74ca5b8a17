package io.unikernetes.api.v1alpha1.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CpuAmountTest {

  @Test
  void parsesQuantitiesAsKubernetesDoesRoundingUpToMillicores() {
    assertThat(CpuAmount.parse("2")).isEqualTo(new CpuAmount(2000));
    assertThat(CpuAmount.parse("250m")).isEqualTo(new CpuAmount(250));
    assertThat(CpuAmount.parse("0.5")).isEqualTo(new CpuAmount(500));
    assertThat(CpuAmount.parse("100u")).isEqualTo(new CpuAmount(1));
    assertThat(CpuAmount.parse("0")).isEqualTo(CpuAmount.ZERO);
  }

  @Test
  void printsWholeCoresOrMillicores() {
    assertThat(new CpuAmount(2000).toQuantity()).isEqualTo("2");
    assertThat(new CpuAmount(1900).toQuantity()).isEqualTo("1900m");
    assertThat(new CpuAmount(3).times(4).plus(CpuAmount.ofCores(1))).hasToString("1012m");
    assertThat(new CpuAmount(5).minus(new CpuAmount(9))).isEqualTo(CpuAmount.ZERO);
  }

  @Test
  void rejectsNegativeAmounts() {
    assertThatThrownBy(() -> CpuAmount.parse("-1")).isInstanceOf(IllegalArgumentException.class);
  }
}
