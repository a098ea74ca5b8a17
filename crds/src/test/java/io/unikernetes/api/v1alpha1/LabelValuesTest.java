package io.unikernetes.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelValuesTest {

  private static final String LABEL_VALUE = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";

  @Test
  void shortNamesAreKept() {
    assertThat(LabelValues.of("xen-01.example.org")).isEqualTo("xen-01.example.org");
    assertThat(LabelValues.of("a".repeat(63))).isEqualTo("a".repeat(63));
  }

  @Test
  void longNamesBecomeValidDistinctLabelValues() {
    String fqdn = "hypervisor-rack-17-slot-04.compute.eu-central-1.region.example.org"; // 67 characters
    String a = LabelValues.of(fqdn);
    String b = LabelValues.of(fqdn.replace("slot-04", "slot-05"));
    assertThat(a).hasSizeLessThanOrEqualTo(63).matches(LABEL_VALUE).startsWith("hypervisor-rack-17-slot-04");
    assertThat(b).hasSizeLessThanOrEqualTo(63).matches(LABEL_VALUE).isNotEqualTo(a);
    assertThat(LabelValues.of(fqdn)).isEqualTo(a);
  }

  @Test
  void aCutAtAPunctuationMarkStaysValid() {
    String name = "a".repeat(53) + ".-" + "b".repeat(20);
    assertThat(LabelValues.of(name)).matches(LABEL_VALUE).doesNotContain(".-");
  }
}
