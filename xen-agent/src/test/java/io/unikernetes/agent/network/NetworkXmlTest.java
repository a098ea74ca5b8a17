package io.unikernetes.agent.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.common.net.Ipv4Subnet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Golden files under src/test/resources/golden; regenerate with -Dunikernetes.golden.update=true. */
class NetworkXmlTest {

  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  @ParameterizedTest
  @CsvSource({"network.xml,", "network-dns.xml,10.240.0.53"})
  void aManagedNetworkIsAnOpenBridgeWithTheGatewayAndStaticDhcp(String golden, String dns) throws IOException {
    String xml = NetworkXml.of(new ManagedNetwork("unikernetes", "ukbr0", Ipv4Subnet.parse("10.240.3.0/24"),
        Optional.ofNullable(dns)));
    Path file = GOLDEN.resolve(golden);
    if (Boolean.getBoolean("unikernetes.golden.update")) {
      Files.writeString(file, xml);
    }
    assertThat(xml).isEqualTo(Files.readString(file));
    assertThat(NetworkXml.gatewayOf(xml)).contains("10.240.3.1/24");
    assertThat(NetworkXml.dhcpHostsOf(xml)).isEmpty();
  }

  @Test
  void aReservationIsOneHostElementWithAShortLease() {
    assertThat(NetworkXml.of(new DhcpHost("02:AB:cd:00:11:22", "10.240.3.7"))).isEqualTo("""
        <host ip="10.240.3.7" mac="02:ab:cd:00:11:22">
          <lease expiry="2" unit="minutes"/>
        </host>
        """);
  }

  @Test
  void readsTheReservationsLibvirtReportsAndIgnoresDnsHosts() {
    // As `virsh net-dumpxml` prints a running network (libvirt 9.0).
    String libvirts = """
        <network>
          <name>unikernetes</name>
          <uuid>1999b46c-b778-46c1-ab39-02b3e9d782c6</uuid>
          <forward mode='open'/>
          <bridge name='ukbr0' stp='off' delay='0'/>
          <mac address='52:54:00:20:b7:96'/>
          <dns>
            <host ip='10.240.7.53'><hostname>dns</hostname></host>
          </dns>
          <ip address='10.240.7.1' prefix='24'>
            <dhcp>
              <host mac='02:AA:bb:cc:dd:ee' ip='10.240.7.2'>
                <lease expiry='2' unit='minutes'/>
              </host>
              <host mac='02:aa:bb:cc:dd:ef' ip='10.240.7.3'/>
            </dhcp>
          </ip>
        </network>
        """;
    assertThat(NetworkXml.gatewayOf(libvirts)).contains("10.240.7.1/24");
    assertThat(NetworkXml.dhcpHostsOf(libvirts)).containsExactly(new DhcpHost("02:aa:bb:cc:dd:ee", "10.240.7.2"),
        new DhcpHost("02:aa:bb:cc:dd:ef", "10.240.7.3"));
    assertThat(NetworkXml.gatewayOf("<network><name>n</name></network>")).isEmpty();
  }
}
