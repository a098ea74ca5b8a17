package io.unikernetes.agent.hypervisor;

/** Why a domain is shut off (virDomainShutoffReason), reduced to what restart policies need. */
public enum StopReason {
  /** The guest shut itself down. */
  SHUTDOWN,
  /** The guest crashed. */
  CRASHED,
  /** Someone destroyed the domain from outside, or the hypervisor failed to run it. */
  KILLED,
  /** Not stopped, or libvirt does not say. */
  UNKNOWN;

  static StopReason fromLibvirt(int shutoffReason) {
    return switch (shutoffReason) {
      case 1 -> SHUTDOWN;
      case 3 -> CRASHED;
      case 2, 6, 8 -> KILLED; // destroyed, failed, daemon
      default -> UNKNOWN;
    };
  }
}
