package io.unikernetes.operator.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unikernetes.common.net.Ipv4Subnet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeSubnetAllocatorTest {

  private static final NodeSubnetAllocator ALLOCATOR =
      new NodeSubnetAllocator(Ipv4Subnet.parse("10.240.0.0/16"), 24);

  @Test
  void givesTheLowestFreeSubnet() {
    assertThat(ALLOCATOR.next(List.of())).hasValue(Ipv4Subnet.parse("10.240.0.0/24"));
    assertThat(ALLOCATOR.next(List.of(Ipv4Subnet.parse("10.240.0.0/24"), Ipv4Subnet.parse("10.240.2.0/24"))))
        .hasValue(Ipv4Subnet.parse("10.240.1.0/24"));
  }

  @Test
  void skipsWhatAPinnedSubnetCoversWhateverItsSize() {
    assertThat(ALLOCATOR.next(List.of(Ipv4Subnet.parse("10.240.0.0/23")))).hasValue(Ipv4Subnet.parse("10.240.2.0/24"));
    assertThat(ALLOCATOR.next(List.of(Ipv4Subnet.parse("10.240.0.128/25")))).hasValue(Ipv4Subnet.parse("10.240.1.0/24"));
    assertThat(ALLOCATOR.next(List.of(Ipv4Subnet.parse("192.168.0.0/24")))).hasValue(Ipv4Subnet.parse("10.240.0.0/24"));
  }

  @Test
  void anExhaustedPoolGivesNothing() {
    List<Ipv4Subnet> taken = new ArrayList<>();
    for (int i = 0; i < ALLOCATOR.capacity(); i++) {
      taken.add(ALLOCATOR.next(taken).orElseThrow());
    }
    assertThat(taken).hasSize(256).doesNotHaveDuplicates();
    assertThat(ALLOCATOR.next(taken)).isEmpty();
  }

  @Test
  void aNodePrefixThatCannotBeCutFromThePoolIsRefused() {
    assertThatThrownBy(() -> new NodeSubnetAllocator(Ipv4Subnet.parse("10.240.0.0/16"), 12))
        .hasMessageContaining("node subnets of /12 cannot be cut from 10.240.0.0/16");
    assertThatThrownBy(() -> new NodeSubnetAllocator(Ipv4Subnet.parse("10.240.0.0/16"), 30))
        .hasMessageContaining("the prefix length must be 16 to 29");
  }

  @Test
  void aPoolThatCannotHoldGuestsIsRefused() {
    assertThatThrownBy(() -> new NodeSubnetAllocator(Ipv4Subnet.parse("0.0.0.0/0"), 24))
        .hasMessageContaining("larger than a /8");
    assertThatThrownBy(() -> new NodeSubnetAllocator(Ipv4Subnet.parse("127.0.0.0/16"), 24))
        .hasMessageContaining("overlaps 127.0.0.0/8");
  }
}
