package io.unikernetes.agent.network;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.agent.hypervisor.Hypervisor;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.NetworkMode;
import io.unikernetes.api.v1alpha1.status.GuestAddress;
import io.unikernetes.common.net.Ipv4Subnet;
import io.unikernetes.common.status.UnikernelStatusWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Attaches guests to this node's guest network: an interface on the configured bridge and an address from
 * the XenNode's guestSubnet, reserved for the guest's MAC on the node's DHCP server when the agent keeps a
 * libvirt network ({@link ManagedNetwork}). An address is recorded in the guest's status before its domain
 * is defined, and in the domain's metadata, so after a restart the agent knows every address in use from the
 * API and libvirt alone; one is free again only once no Unikernel holds it and no domain records it, so a deleted
 * guest's address is not reused while its domain may still run. A guest keeps its address across restarts.
 */
public class GuestNetwork {

  /** Why a guest cannot be attached yet; the caller reports it and looks again later. */
  public static final class NotYetException extends Exception {
    public NotYetException(String message) {
      super(message);
    }
  }

  private final GuestNetworkConfig config;
  private final String nodeName;
  private final KubernetesClient client;
  private final Hypervisor hypervisor;
  private final UnikernelStatusWriter statusWriter;
  private final DhcpReservations reservations;
  /** The address given last, where round-robin goes on; empty after a start (then: the highest in use). */
  private Optional<String> lastChosen = Optional.empty();
  /** Addresses chosen here whose status write the cache may not show yet, by guest UID. */
  private final Map<String, String> chosen = new ConcurrentHashMap<>();

  public GuestNetwork(GuestNetworkConfig config, String nodeName, KubernetesClient client, Hypervisor hypervisor,
      UnikernelStatusWriter statusWriter) {
    this.config = config;
    this.nodeName = nodeName;
    this.client = client;
    this.hypervisor = hypervisor;
    this.statusWriter = statusWriter;
    this.reservations = new DhcpReservations(hypervisor);
  }

  /**
   * The interface {@code guest} boots with, or empty for a guest without one (spec.network none, or no
   * bridge configured on this node). Writes the chosen address into the guest's status.
   *
   * @param guest the guest as stored; its status and resourceVersion are updated in place when an address is
   *     written
   * @param cachedGuests every Unikernel the agent's cache holds (those of other nodes are ignored)
   * @throws NotYetException when the XenNode has no guestSubnet yet, the subnet is full, or the libvirt network
   *     holds another subnet
   * @throws io.unikernetes.agent.hypervisor.HypervisorException when libvirt fails
   */
  public Optional<GuestInterface> attach(Unikernel guest, Supplier<Stream<Unikernel>> cachedGuests)
      throws NotYetException {
    if (config.bridge().isEmpty() || guest.getSpec().resolved().network() == NetworkMode.NONE) {
      return Optional.empty();
    }
    Ipv4Subnet subnet = subnet();
    String uid = guest.getMetadata().getUid();
    String held = guest.getStatus() == null ? null : guest.getStatus().getIp();
    // The domain's metadata is read only when status holds no usable address: listing every domain on each
    // boot would cost O(guests) libvirt calls per guest at scale.
    String ip = Optional.ofNullable(held).filter(subnet::contains)
        .or(() -> hypervisor.guests().stream().filter(d -> d.owner().uid().equals(uid))
            .flatMap(d -> d.ip().stream()).filter(subnet::contains).findFirst())
        .orElse(null);
    if (ip == null) {
      ip = choose(uid, subnet, cachedGuests);
    }
    if (!ip.equals(held)) {
      chosen.put(uid, ip);
      String address = ip;
      Unikernel stored = statusWriter.write(guest, status -> {
        status.setIp(address);
        status.setAddresses(List.of(new GuestAddress(address)));
        return status;
      });
      // The caller's next status write starts from what is stored now, not from a stale resourceVersion.
      guest.getMetadata().setResourceVersion(stored.getMetadata().getResourceVersion());
      guest.setStatus(stored.getStatus());
    }
    String mac = GuestMacs.of(uid);
    if (config.libvirtNetwork().isPresent()) {
      reservations.reserve(new ManagedNetwork(config.libvirtNetwork().get(), config.bridge().get(), subnet,
          config.dns()), new DhcpHost(mac, ip));
    }
    return Optional.of(new GuestInterface(config.bridge().get(), mac, ip, subnet, config.dns()));
  }

  /**
   * A free address for a guest that has none (round-robin: {@link GuestAddresses}), remembered as chosen
   * before the lock is released: only this step is serialized, so boots on a node do not wait on each
   * other's API and libvirt calls.
   */
  private synchronized String choose(String uid, Ipv4Subnet subnet, Supplier<Stream<Unikernel>> cachedGuests)
      throws NotYetException {
    Set<String> inUse = inUse(uid, cachedGuests);
    Optional<String> last = lastChosen.filter(subnet::contains).or(() -> GuestAddresses.highest(subnet, inUse));
    String ip = GuestAddresses.free(subnet, inUse, last).orElseThrow(() -> new NotYetException("no free address in "
        + "guest subnet " + subnet + " of XenNode " + nodeName + ": its " + GuestAddresses.capacity(subnet)
        + " guest addresses are all held by guests or their domains"));
    chosen.put(uid, ip);
    lastChosen = Optional.of(ip);
    return ip;
  }

  private Ipv4Subnet subnet() throws NotYetException {
    XenNode node = client.resources(XenNode.class).withName(nodeName).get();
    String subnet = node == null || node.getSpec() == null ? null : node.getSpec().getGuestSubnet();
    if (subnet == null) {
      throw new NotYetException("XenNode " + nodeName + " has no guestSubnet yet: the operator assigns one from "
          + "its guest pool (--guest-cidr), or set spec.guestSubnet");
    }
    return Ipv4Subnet.parse(subnet);
  }

  private Set<String> inUse(String uid, Supplier<Stream<Unikernel>> cachedGuests) {
    List<Unikernel> guests = cachedGuests.get().filter(g -> nodeName.equals(g.getSpec().getNodeName())).toList();
    Set<String> present = guests.stream().map(g -> g.getMetadata().getUid()).collect(Collectors.toSet());
    // Forget choices the cache now shows, or whose guest is gone (its domain, if any, still counts).
    chosen.entrySet().removeIf(e -> !present.contains(e.getKey()) || guests.stream().anyMatch(g ->
        g.getMetadata().getUid().equals(e.getKey()) && g.getStatus() != null
            && e.getValue().equals(g.getStatus().getIp())));
    return GuestAddresses.held(uid, guests, hypervisor.guests(), chosen);
  }
}
