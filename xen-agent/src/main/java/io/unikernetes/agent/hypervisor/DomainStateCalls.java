package io.unikernetes.agent.hypervisor;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import java.lang.ref.Reference;
import java.lang.reflect.Field;
import org.libvirt.Domain;
import org.libvirt.jna.DomainPointer;

/**
 * virDomainGetState, which libvirt-java 0.5.3 does not bind: it returns the reason a domain is shut off
 * (shut down by the guest, crashed, destroyed), which restart policies need and which survives an agent
 * restart, unlike lifecycle events.
 */
final class DomainStateCalls {

  /** The state and reason pair libvirt reports. */
  record StateAndReason(DomainState state, StopReason reason) {
  }

  private interface Libvirt extends Library {
    Libvirt INSTANCE = Native.load("virt", Libvirt.class);

    int virDomainGetState(DomainPointer domain, IntByReference state, IntByReference reason, int flags);
  }

  private static final Field POINTER;

  static {
    try {
      POINTER = Domain.class.getDeclaredField("vdp");
      POINTER.setAccessible(true);
    } catch (NoSuchFieldException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private DomainStateCalls() {
  }

  static StateAndReason stateOf(Domain domain) {
    IntByReference state = new IntByReference();
    IntByReference reason = new IntByReference();
    DomainPointer pointer;
    try {
      pointer = (DomainPointer) POINTER.get(domain);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
    int result;
    try {
      result = Libvirt.INSTANCE.virDomainGetState(pointer, state, reason, 0);
    } finally {
      // libvirt-java frees the handle in Domain.finalize(): it must not be collected during the call.
      Reference.reachabilityFence(domain);
    }
    if (result < 0) {
      return new StateAndReason(DomainState.OTHER, StopReason.UNKNOWN);
    }
    DomainState domainState = DomainState.fromLibvirt(state.getValue());
    StopReason stopReason = switch (domainState) {
      case SHUTOFF -> StopReason.fromLibvirt(reason.getValue());
      case CRASHED -> StopReason.CRASHED;
      default -> StopReason.UNKNOWN;
    };
    return new StateAndReason(domainState, stopReason);
  }
}
