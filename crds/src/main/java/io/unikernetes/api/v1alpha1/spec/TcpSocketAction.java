package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.Objects;

/** Opens a TCP connection to a port of the guest, as a Pod probe's tcpSocket. */
public class TcpSocketAction {

  @Required
  @JsonPropertyDescription("Port number (1 to 65535) or the name of one of the guest's ports.")
  private IntOrString port;

  public TcpSocketAction() {
  }

  public TcpSocketAction(IntOrString port) {
    this.port = port;
  }

  public IntOrString getPort() {
    return port;
  }

  public void setPort(IntOrString port) {
    this.port = port;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TcpSocketAction other && Objects.equals(port, other.port);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(port);
  }
}
