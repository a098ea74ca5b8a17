package io.unikernetes.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CpuSetTest {

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {"0;0;1", "0-1;0-1;2", "3, 1,2;1-3;3", "0,2-4,4,7;0,2-4,7;5", "5-5;5;1"})
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
    assertThat(CpuSet.parse("0").othersOf(2)).hasToString("1");
    assertThat(CpuSet.parse("1,3").othersOf(6)).hasToString("0,2,4-5");
  }

  @Test
  void refusesToReserveACpuTheHostLacksOrEveryCpu() {
    assertThatThrownBy(() -> CpuSet.parse("2").othersOf(2))
        .hasMessage("CPU 2 is not on this host: it has CPUs 0-1");
    assertThatThrownBy(() -> CpuSet.parse("0-1").othersOf(2))
        .hasMessage("CPUs 0-1 are all the host's 2: leave guests one");
  }
}
