package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;
import java.util.Objects;

/** An HTTP GET to the guest's address, as a Pod probe's httpGet (HTTP only: guests rarely carry certificates). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpGetAction {

  @Default("/")
  @Size(max = 2048)
  @ValidationRule(value = "self.startsWith('/') && !self.matches('[\\\\s]')",
      message = "path must start with '/' and contain no whitespace")
  @JsonPropertyDescription("Path to GET (default /).")
  private String path;

  @Required
  @JsonPropertyDescription("Port number (1 to 65535) or the name of one of the guest's ports.")
  private IntOrString port;

  @Size(max = 16)
  @JsonPropertyDescription("Headers to send (at most 16).")
  private List<HttpHeader> httpHeaders;

  public HttpGetAction() {
  }

  public HttpGetAction(String path, IntOrString port) {
    this.path = path;
    this.port = port;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public IntOrString getPort() {
    return port;
  }

  public void setPort(IntOrString port) {
    this.port = port;
  }

  public List<HttpHeader> getHttpHeaders() {
    return httpHeaders;
  }

  public void setHttpHeaders(List<HttpHeader> httpHeaders) {
    this.httpHeaders = httpHeaders;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HttpGetAction other && Objects.equals(path, other.path) && Objects.equals(port, other.port)
        && Objects.equals(httpHeaders, other.httpHeaders);
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, port, httpHeaders);
  }
}
