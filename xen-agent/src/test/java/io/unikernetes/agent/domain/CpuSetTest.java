package io.unikernetes.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CpuSetTest {

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {"0;0;1", "0-1;0-1;2", "0,1;0-1;2", "3, 1,2;1-3;3", "0,2-4,4,7;0,2-4,7;5",
      "5-5;5;1"})
  void readsNumbersAndRangesAndWritesThemCanonically(String text, String canonical, int size) {
    CpuSet cpus = CpuSet.parse(text);

    assertThat(cpus).hasToString(canonical);
    assertThat(cpus.size()).isEqualTo(size);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a", "1-", "-1", "0,,1", "^2", "0-1-2", "1.5"})
  void refusesWhatIsNotAListOfCpus(String text) {
    assertThatThrownBy(() -> CpuSet.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("give e.g. 0 or 0-1,4");
  }

  @Test
  void refusesARangeThatRunsBackwards() {
    assertThatThrownBy(() -> CpuSet.parse("3-1")).hasMessageContaining("the range 3-1 runs backwards");
  }

  @Test
  void givesGuestsTheHostCpusNotReserved() {
    assertThat(CpuSet.parse("0").othersOf(CpuSet.parse("0-1"))).hasToString("1");
    assertThat(CpuSet.parse("1,3").othersOf(CpuSet.parse("0-5"))).hasToString("0,2,4-5");
    // SMT off: the online CPUs are the even ones
    assertThat(CpuSet.parse("0").othersOf(CpuSet.parse("0,2,4,6"))).hasToString("2,4,6");
  }

  @Test
  void refusesToReserveACpuTheHostLacksOrEveryCpu() {
    assertThatThrownBy(() -> CpuSet.parse("1-2").othersOf(CpuSet.parse("0,2,4")))
        .hasMessage("CPU 1 is not on this host: its CPUs are 0,2,4");
    assertThatThrownBy(() -> CpuSet.parse("0-1").othersOf(CpuSet.parse("0-1")))
        .hasMessage("CPUs 0-1 are all the host's: leave guests one");
  }

  @Test
  void isAValueNoCallerCanChange() {
    java.util.BitSet given = CpuSet.parse("0-1").cpus();
    CpuSet cpus = new CpuSet(given);
    given.set(5);
    cpus.cpus().set(7);

    assertThat(cpus).hasToString("0-1").isEqualTo(CpuSet.parse("1,0"));
  }
}
