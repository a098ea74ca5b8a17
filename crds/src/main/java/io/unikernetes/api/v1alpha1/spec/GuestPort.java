package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * A port the guest listens on, like a Pod container's port: informational for clients, and the target a
 * Service's {@code targetPort} may name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GuestPort {

  // A Service's targetPort names a port by IANA_SVC_NAME (Kubernetes' rule for container port names).
  @Size(max = 15)
  @Pattern("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
  @ValidationRule(value = "self.matches('[a-z]') && !self.contains('--')",
      message = "a port name must contain a letter and no '--' (an IANA service name, as for Pod ports)")
  @JsonPropertyDescription("Name a Service's targetPort can refer to: at most 15 lowercase letters, digits "
      + "and '-', with at least one letter, unique within the guest (an IANA service name, as for Pod ports).")
  private String name;

  @Required
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Port number on the guest's address, 1 to 65535.")
  private Integer port;

  @Default("TCP")
  @JsonPropertyDescription("TCP (default) or UDP.")
  private PortProtocol protocol;

  public GuestPort() {
  }

  public GuestPort(String name, int port, PortProtocol protocol) {
    this.name = name;
    this.port = port;
    this.protocol = protocol;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public PortProtocol getProtocol() {
    return protocol;
  }

  public void setProtocol(PortProtocol protocol) {
    this.protocol = protocol;
  }

  /** The protocol with the API server's default applied, for objects built in code. */
  public PortProtocol protocolOrDefault() {
    return protocol == null ? PortProtocol.TCP : protocol;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GuestPort other && Objects.equals(name, other.name) && Objects.equals(port, other.port)
        && protocol == other.protocol;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, port, protocol);
  }
}
