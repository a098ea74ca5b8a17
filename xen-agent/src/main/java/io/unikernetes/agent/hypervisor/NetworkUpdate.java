package io.unikernetes.agent.hypervisor;

/**
 * The changes the agent makes to a running libvirt network, as virNetworkUpdate commands on its
 * {@code <ip><dhcp><host>} section (libvirt's include/libvirt/libvirt-network.h: MODIFY 1, DELETE 2,
 * ADD_LAST 3; section IP_DHCP_HOST 4). Each applies to the live network and its persistent definition.
 */
public enum NetworkUpdate {
  ADD_DHCP_HOST(3),
  DELETE_DHCP_HOST(2);

  static final int SECTION_IP_DHCP_HOST = 4;
  private final int command;

  NetworkUpdate(int command) {
    this.command = command;
  }

  int command() {
    return command;
  }
}
