package io.unikernetes.agent.hypervisor;

/** The libvirt domain states the agent distinguishes (virDomainState). */
public enum DomainState {
  RUNNING,
  PAUSED,
  SHUTOFF,
  CRASHED,
  OTHER;

  public boolean isStopped() {
    return this == SHUTOFF || this == CRASHED;
  }

  static DomainState fromLibvirt(int state) {
    return switch (state) {
      case 1, 2, 4 -> RUNNING; // running, blocked, being shut down
      case 3, 7 -> PAUSED; // paused, pm-suspended
      case 5 -> SHUTOFF;
      case 6 -> CRASHED;
      default -> OTHER;
    };
  }
}
