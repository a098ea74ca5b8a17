package io.unikernetes.agent.hypervisor;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.lang.ref.Reference;
import java.lang.reflect.Field;
import org.libvirt.Network;
import org.libvirt.jna.NetworkPointer;

/**
 * virNetworkUpdate, which libvirt-java 0.5.3 does not bind: it changes a running network's DHCP
 * reservations in place (libvirt rewrites dnsmasq's hosts file and signals it), where redefining the
 * network would restart it and detach every guest from its bridge.
 */
final class NetworkUpdateCalls {

  /** VIR_NETWORK_UPDATE_AFFECT_LIVE | VIR_NETWORK_UPDATE_AFFECT_CONFIG. */
  private static final int LIVE_AND_CONFIG = 1 | 2;

  private interface Libvirt extends Library {
    Libvirt INSTANCE = Native.load("virt", Libvirt.class);

    int virNetworkUpdate(NetworkPointer network, int command, int section, int parentIndex, String xml, int flags);

    /** The calling thread's last libvirt error, as text (libvirt 1.0.6 on). */
    String virGetLastErrorMessage();
  }

  private static final Field POINTER;

  static {
    try {
      POINTER = Network.class.getDeclaredField("vnp");
      POINTER.setAccessible(true);
    } catch (NoSuchFieldException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private NetworkUpdateCalls() {
  }

  /**
   * Applies {@code update} with {@code xml} (one {@code <host>} element).
   *
   * @throws HypervisorException with libvirt's message when libvirt refuses it
   */
  static void update(Network network, NetworkUpdate update, String xml) {
    NetworkPointer pointer;
    try {
      pointer = (NetworkPointer) POINTER.get(network);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
    try {
      if (Libvirt.INSTANCE.virNetworkUpdate(pointer, update.command(), NetworkUpdate.SECTION_IP_DHCP_HOST, -1, xml,
          LIVE_AND_CONFIG) < 0) {
        throw new HypervisorException("virNetworkUpdate " + update + " " + xml + ": "
            + Libvirt.INSTANCE.virGetLastErrorMessage(), null);
      }
    } finally {
      // libvirt-java frees the handle in Network.finalize(): it must not be collected during the call.
      Reference.reachabilityFence(network);
    }
  }
}
