package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * A health check the node's agent runs against the guest's address, with the fields and semantics of a Pod's
 * probe (k8s.io/api/core/v1 Probe): exactly one handler, and thresholds of consecutive results.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.tcpSocket) != has(self.httpGet)",
    message = "a probe needs exactly one handler: tcpSocket or httpGet")
public class Probe {

  @JsonPropertyDescription("Passes when a TCP connection to the port opens within timeoutSeconds.")
  private TcpSocketAction tcpSocket;

  @JsonPropertyDescription("Passes when an HTTP GET answers with a status from 200 to 399 within timeoutSeconds.")
  private HttpGetAction httpGet;

  @Default("0")
  @Min(0)
  @Max(3600)
  @JsonPropertyDescription("Seconds after the guest's domain started before the first probe (default 0).")
  private Integer initialDelaySeconds;

  @Default("10")
  @Min(1)
  @Max(3600)
  @JsonPropertyDescription("Seconds between probes (default 10).")
  private Integer periodSeconds;

  @Default("1")
  @Min(1)
  @Max(3600)
  @JsonPropertyDescription("Seconds after which a probe counts as failed (default 1).")
  private Integer timeoutSeconds;

  @Default("1")
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Consecutive passes after a failure for the probe to count as passing (default 1; must be "
      + "1 for a livenessProbe).")
  private Integer successThreshold;

  @Default("3")
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Consecutive failures for the probe to count as failing (default 3).")
  private Integer failureThreshold;

  public TcpSocketAction getTcpSocket() {
    return tcpSocket;
  }

  public void setTcpSocket(TcpSocketAction tcpSocket) {
    this.tcpSocket = tcpSocket;
  }

  public HttpGetAction getHttpGet() {
    return httpGet;
  }

  public void setHttpGet(HttpGetAction httpGet) {
    this.httpGet = httpGet;
  }

  public Integer getInitialDelaySeconds() {
    return initialDelaySeconds;
  }

  public void setInitialDelaySeconds(Integer initialDelaySeconds) {
    this.initialDelaySeconds = initialDelaySeconds;
  }

  public Integer getPeriodSeconds() {
    return periodSeconds;
  }

  public void setPeriodSeconds(Integer periodSeconds) {
    this.periodSeconds = periodSeconds;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  public Integer getSuccessThreshold() {
    return successThreshold;
  }

  public void setSuccessThreshold(Integer successThreshold) {
    this.successThreshold = successThreshold;
  }

  public Integer getFailureThreshold() {
    return failureThreshold;
  }

  public void setFailureThreshold(Integer failureThreshold) {
    this.failureThreshold = failureThreshold;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Probe other && Objects.equals(tcpSocket, other.tcpSocket)
        && Objects.equals(httpGet, other.httpGet) && Objects.equals(initialDelaySeconds, other.initialDelaySeconds)
        && Objects.equals(periodSeconds, other.periodSeconds) && Objects.equals(timeoutSeconds, other.timeoutSeconds)
        && Objects.equals(successThreshold, other.successThreshold)
        && Objects.equals(failureThreshold, other.failureThreshold);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tcpSocket, httpGet, initialDelaySeconds, periodSeconds, timeoutSeconds, successThreshold,
        failureThreshold);
  }
}
