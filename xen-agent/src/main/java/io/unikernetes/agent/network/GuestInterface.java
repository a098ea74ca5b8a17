package io.unikernetes.agent.network;

import io.unikernetes.common.net.Ipv4Subnet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A guest's network interface: on {@code bridge}, with {@code mac}, holding {@code ip} in {@code subnet},
 * whose first address is the gateway (the bridge's own address on the host).
 */
public record GuestInterface(String bridge, String mac, String ip, Ipv4Subnet subnet, Optional<String> dns) {

  public String gateway() {
    return subnet.address(1);
  }

  /**
   * The variables a guest's command line may use, as {@code $(GUEST_IP)} and the like: GUEST_IP,
   * GUEST_PREFIX_LENGTH, GUEST_NETMASK, GUEST_GATEWAY and, when the agent has one, GUEST_DNS.
   */
  public Map<String, String> cmdlineVariables() {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("GUEST_IP", ip);
    variables.put("GUEST_PREFIX_LENGTH", Integer.toString(subnet.prefixLength()));
    variables.put("GUEST_NETMASK", subnet.netmask());
    variables.put("GUEST_GATEWAY", gateway());
    dns.ifPresent(server -> variables.put("GUEST_DNS", server));
    return variables;
  }
}
