package io.unikernetes.agent.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unikernetes.agent.hypervisor.DomainStatus;
import io.unikernetes.agent.hypervisor.GuestIdentity;
import io.unikernetes.agent.hypervisor.HostInfo;
import io.unikernetes.agent.hypervisor.Hypervisor;
import io.unikernetes.agent.hypervisor.NetworkUpdate;
import io.unikernetes.common.net.Ipv4Subnet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class DhcpReservationsTest {

  private static final ManagedNetwork NETWORK = new ManagedNetwork("unikernetes", "ukbr0",
      Ipv4Subnet.parse("10.240.3.0/24"), Optional.empty());

  /** libvirt's networks, as far as reservations go: one network whose XML the updates change. */
  private static final class FakeNetworks implements Hypervisor {
    String xml;
    final List<String> calls = new ArrayList<>();
    final List<DhcpHost> hosts = new ArrayList<>();

    @Override
    public String ensureNetwork(String name, String networkXml) {
      if (xml == null) {
        xml = networkXml;
        calls.add("define " + name);
      }
      StringBuilder withHosts = new StringBuilder();
      hosts.forEach(h -> withHosts.append("<host mac='").append(h.mac()).append("' ip='").append(h.ip())
          .append("'/>"));
      return xml.replace("<dhcp/>", "<dhcp>" + withHosts + "</dhcp>");
    }

    @Override
    public void updateNetwork(String name, NetworkUpdate update, String hostXml) {
      calls.add(update + " " + hostXml.strip());
      DhcpHost host = NetworkXml.dhcpHostsOf("<network><ip><dhcp>" + hostXml + "</dhcp></ip></network>").get(0);
      if (update == NetworkUpdate.ADD_DHCP_HOST) {
        hosts.add(host);
      } else {
        hosts.remove(host);
      }
    }

    @Override
    public HostInfo hostInfo() {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<DomainStatus> guests() {
      return List.of();
    }

    @Override
    public Optional<DomainStatus> find(GuestIdentity guest) {
      return Optional.empty();
    }

    @Override
    public DomainStatus defineAndStart(String domainXml) {
      throw new UnsupportedOperationException();
    }

    @Override
    public DomainStatus start(String domainName) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void destroy(String domainName) {
    }

    @Override
    public boolean destroyAndUndefine(String domainName) {
      return false;
    }

    @Override
    public void onLifecycleEvent(Consumer<GuestIdentity> listener) {
    }

    @Override
    public void onReconnect(Runnable listener) {
    }

    @Override
    public void checkConnection() {
    }

    @Override
    public void close() {
    }
  }

  private final FakeNetworks libvirt = new FakeNetworks();
  private final DhcpReservations reservations = new DhcpReservations(libvirt);

  @Test
  void definesTheNetworkOnceAndReservesEachGuestOnce() throws Exception {
    reservations.reserve(NETWORK, new DhcpHost("02:00:00:00:00:02", "10.240.3.2"));
    reservations.reserve(NETWORK, new DhcpHost("02:00:00:00:00:02", "10.240.3.2"));
    reservations.reserve(NETWORK, new DhcpHost("02:00:00:00:00:03", "10.240.3.3"));
    assertThat(libvirt.calls).containsExactly("define unikernetes",
        "ADD_DHCP_HOST " + NetworkXml.of(new DhcpHost("02:00:00:00:00:02", "10.240.3.2")).strip(),
        "ADD_DHCP_HOST " + NetworkXml.of(new DhcpHost("02:00:00:00:00:03", "10.240.3.3")).strip());
  }

  @Test
  void aReusedAddressReplacesTheDeletedGuestsReservation() throws Exception {
    reservations.reserve(NETWORK, new DhcpHost("02:00:00:00:00:02", "10.240.3.2"));
    reservations.reserve(NETWORK, new DhcpHost("02:00:00:00:00:99", "10.240.3.2"));
    assertThat(libvirt.hosts).containsExactly(new DhcpHost("02:00:00:00:00:99", "10.240.3.2"));
  }

  @Test
  void aNetworkOnAnotherSubnetIsNotRedefinedUnderItsGuests() {
    libvirt.xml = NetworkXml.of(new ManagedNetwork("unikernetes", "ukbr0", Ipv4Subnet.parse("10.240.9.0/24"),
        Optional.empty()));
    assertThatThrownBy(() -> reservations.reserve(NETWORK, new DhcpHost("02:00:00:00:00:02", "10.240.3.2")))
        .isInstanceOf(GuestNetwork.NotYetException.class)
        .hasMessageContaining("has address 10.240.9.1/24").hasMessageContaining("needs 10.240.3.1/24")
        .hasMessageContaining("virsh net-destroy unikernetes");
    assertThat(libvirt.calls).isEmpty();
  }
}
