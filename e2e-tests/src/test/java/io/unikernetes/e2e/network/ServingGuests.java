package io.unikernetes.e2e.network;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.GuestPort;
import io.unikernetes.api.v1alpha1.spec.DiskSource;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.spec.InitrdSource;
import io.unikernetes.api.v1alpha1.spec.PortProtocol;
import io.unikernetes.api.v1alpha1.spec.XenNodeSpec;
import io.unikernetes.common.net.Ipv4Subnet;
import io.unikernetes.local.process.BuildScript;
import io.unikernetes.local.artifacts.GuestImageServer;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.local.repository.Repository;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The serving test guest (hack/build-serving-guest.sh) as the network tests use it. */
public final class ServingGuests {

  /** Its kernel and ramdisk, and its root disk (booted with uk.root=DEVICE), served over loopback HTTP. */
  public record Images(GuestImageServer server, ImageSource kernel, DiskSource disk) implements AutoCloseable {
    @Override
    public void close() {
      server.close();
    }
  }

  private ServingGuests() {
  }

  /** Builds the guest (once, cached) and serves it. */
  public static Images serve(Repository repo) throws Exception {
    Path guest = BuildScript.run(repo.root().resolve("hack/build-serving-guest.sh"));
    GuestImageServer server = GuestImageServer.serve(guest);
    ImageSource kernel = new ImageSource(server.urlOf("vmlinuz"), GuestImageServer.sha256Of(guest.resolve("vmlinuz")));
    kernel.setInitrd(new InitrdSource(server.urlOf("initrd.img"),
        GuestImageServer.sha256Of(guest.resolve("initrd.img"))));
    return new Images(server, kernel, new DiskSource(server.urlOf("disk.img"),
        GuestImageServer.sha256Of(guest.resolve("disk.img"))));
  }

  /** Registers {@code node} with {@code subnet} before its agent does: the test's bridge holds its gateway. */
  static void pinNode(KubernetesClient client, String node, Ipv4Subnet subnet) {
    XenNode xenNode = new XenNode();
    xenNode.getMetadata().setName(node);
    xenNode.setSpec(new XenNodeSpec());
    xenNode.getSpec().setGuestSubnet(subnet.toString());
    client.resource(xenNode).create();
  }

  /**
   * A serving guest labelled app={@code app}, taking its address from the cmdline, port http 8080, 96Mi
   * (it boots in no less than 88).
   */
  public static Unikernel guest(String namespace, String name, String app, ImageSource kernel, Map<String, String> pool,
      String extraCmdline) {
    return withCmdline(namespace, name, app, kernel, pool, "console=ttyS0 quiet uk.ip=$(GUEST_IP)/$(GUEST_PREFIX_LENGTH)"
        + " uk.gw=$(GUEST_GATEWAY) uk.name=" + name + extraCmdline);
  }

  /** As {@link #guest}, asking for its address by DHCP: its cmdline names no address. */
  public static Unikernel dhcpGuest(String namespace, String name, String app, ImageSource kernel, Map<String, String> pool) {
    return withCmdline(namespace, name, app, kernel, pool, "console=ttyS0 quiet uk.name=" + name);
  }

  private static Unikernel withCmdline(String namespace, String name, String app, ImageSource kernel,
      Map<String, String> pool, String cmdline) {
    Unikernel guest = Guests.guest(namespace, name, kernel, "96Mi", pool);
    guest.getMetadata().setLabels(Map.of("app", app));
    guest.getSpec().setCmdline(cmdline);
    guest.getSpec().setPorts(List.of(new GuestPort("http", 8080, PortProtocol.TCP)));
    return guest;
  }
}
