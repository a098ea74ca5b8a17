package io.unikernetes.agent.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostCpusTest {

  @Test
  void listsTheCpusOfTheTopologyWhateverTheirNumbers() {
    // libvirt's capabilities of a host with SMT turned off: CPUs 0, 2, 4, 6 online, in two cells
    String capabilities = """
        <capabilities><host><cpu><arch>x86_64</arch><topology sockets='1' cores='4' threads='1'/></cpu>
        <topology><cells num='2'>
          <cell id='0'><cpus num='2'><cpu id='0' socket_id='0' core_id='0' siblings='0'/>
            <cpu id='2' socket_id='0' core_id='1' siblings='2'/></cpus></cell>
          <cell id='1'><cpus num='2'><cpu id='4' socket_id='0' core_id='2' siblings='4'/>
            <cpu id='6' socket_id='0' core_id='3' siblings='6'/></cpus></cell>
        </cells></topology></host></capabilities>""";

    assertThat(HostCpus.of(capabilities, 4)).hasToString("0,2,4,6");
  }

  @Test
  void withoutATopologyTheCpusAreNumberedFromZero() {
    assertThat(HostCpus.of("<capabilities><host><cpu><arch>x86_64</arch></cpu></host></capabilities>", 3))
        .hasToString("0-2");
    assertThat(HostCpus.of("not xml", 2)).hasToString("0-1");
  }
}
