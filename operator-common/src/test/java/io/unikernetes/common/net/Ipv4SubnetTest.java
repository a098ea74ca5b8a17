package io.unikernetes.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Ipv4SubnetTest {

  @Test
  void parsesAndPrintsCidrNotation() {
    Ipv4Subnet pool = Ipv4Subnet.parse("10.240.0.0/16");
    assertThat(pool).hasToString("10.240.0.0/16");
    assertThat(pool.size()).isEqualTo(65536);
    assertThat(Ipv4Subnet.parse("255.255.255.255/32")).hasToString("255.255.255.255/32");
    assertThat(Ipv4Subnet.parse("0.0.0.0/0").size()).isEqualTo(1L << 32);
  }

  @Test
  void rejectsWhatIsNotANetworkNamingIt() {
    assertThatThrownBy(() -> Ipv4Subnet.parse("10.240.0.0")).hasMessageContaining("'10.240.0.0' is not an IPv4 CIDR");
    assertThatThrownBy(() -> Ipv4Subnet.parse("10.256.0.0/16")).hasMessageContaining("10.256.0.0 has an octet over 255");
    assertThatThrownBy(() -> Ipv4Subnet.parse("10.240.0.0/33")).hasMessageContaining("0 to 32");
    assertThatThrownBy(() -> Ipv4Subnet.parse("10.240.3.7/16"))
        .hasMessageContaining("has host bits set; the network is 10.240.0.0/16");
  }

  @Test
  void cutsSubnetsInOrderAndStopsPastTheLast() {
    Ipv4Subnet pool = Ipv4Subnet.parse("10.240.0.0/16");
    assertThat(pool.subnet(24, 0)).hasValue(Ipv4Subnet.parse("10.240.0.0/24"));
    assertThat(pool.subnet(24, 3)).hasValue(Ipv4Subnet.parse("10.240.3.0/24"));
    assertThat(pool.subnet(24, 255)).hasValue(Ipv4Subnet.parse("10.240.255.0/24"));
    assertThat(pool.subnet(24, 256)).isEmpty();
    assertThat(Ipv4Subnet.parse("192.168.0.0/16").subnet(24, 255)).hasValue(Ipv4Subnet.parse("192.168.255.0/24"));
    assertThatThrownBy(() -> pool.subnet(8, 0)).hasMessageContaining("a /8 does not fit in 10.240.0.0/16");
  }

  @Test
  void overlapIsContainmentEitherWay() {
    Ipv4Subnet pool = Ipv4Subnet.parse("10.240.0.0/16");
    assertThat(pool.overlaps(Ipv4Subnet.parse("10.240.7.0/24"))).isTrue();
    assertThat(Ipv4Subnet.parse("10.240.7.0/24").overlaps(pool)).isTrue();
    assertThat(Ipv4Subnet.parse("10.240.7.0/24").overlaps(Ipv4Subnet.parse("10.240.8.0/24"))).isFalse();
    assertThat(pool.overlaps(Ipv4Subnet.parse("10.241.0.0/16"))).isFalse();
  }

  @Test
  void addressesAndNetmask() {
    Ipv4Subnet node = Ipv4Subnet.parse("10.240.3.0/24");
    assertThat(node.address(1)).isEqualTo("10.240.3.1");
    assertThat(node.address(254)).isEqualTo("10.240.3.254");
    assertThat(node.netmask()).isEqualTo("255.255.255.0");
    assertThat(Ipv4Subnet.parse("10.0.0.0/8").netmask()).isEqualTo("255.0.0.0");
    assertThat(node.contains("10.240.3.7")).isTrue();
    assertThat(node.contains("10.240.4.7")).isFalse();
    assertThat(node.contains("10.240.3.300")).isFalse();
    assertThat(node.contains("fd00::1")).isFalse();
    assertThatThrownBy(() -> node.address(256)).hasMessageContaining("offset 256 is outside 10.240.3.0/24");
  }
}
