package io.unikernetes.api.v1alpha1.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemorySizeTest {

  @Test
  void parsesKubernetesQuantities() {
    assertThat(MemorySize.parse("64Mi").bytes()).isEqualTo(64L << 20);
    assertThat(MemorySize.parse("2Gi").kibibytes()).isEqualTo(2L << 20);
    assertThat(MemorySize.parse("2Gi").toQuantity()).isEqualTo("2048Mi");
    assertThat(MemorySize.ofKibibytes(1025).floorToMebibytes()).isEqualTo(MemorySize.ofMebibytes(1));
    assertThat(MemorySize.parse("1Gi").minus(MemorySize.parse("2Gi"))).isEqualTo(MemorySize.ZERO);
  }

  @Test
  void specDefaultsApplyToObjectsBuiltInCode() {
    UnikernelSpec spec = new UnikernelSpec();
    spec.setImage(new ImageSource("https://example.org/k.elf", "a".repeat(64)));
    ResolvedGuestSpec resolved = spec.resolved();
    assertThat(resolved.memory()).isEqualTo(MemorySize.parse(UnikernelSpec.DEFAULT_MEMORY));
    assertThat(resolved.vcpus()).isEqualTo(1);
    assertThat(resolved.bootMode()).isEqualTo(BootMode.PVH);
    assertThat(resolved.restartPolicy()).isEqualTo(RestartPolicy.Always);
    assertThat(resolved.cmdline()).isEmpty();
  }
}
