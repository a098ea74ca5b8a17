package io.unikernetes.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One wake of a deployment at zero: when the activator asked for a guest, and how long until one was Ready. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WakeRecord {

  @JsonPropertyDescription("When the first held request made the activator scale the deployment to 1 (RFC 3339).")
  private String requestTime;

  @JsonPropertyDescription("When the first guest was Ready and held requests were forwarded to it (RFC 3339).")
  private String readyTime;

  @JsonPropertyDescription("readyTime - requestTime in milliseconds: what the first request waited for the wake.")
  private Long latencyMilliseconds;

  public WakeRecord() {
  }

  public WakeRecord(String requestTime, String readyTime, Long latencyMilliseconds) {
    this.requestTime = requestTime;
    this.readyTime = readyTime;
    this.latencyMilliseconds = latencyMilliseconds;
  }

  public String getRequestTime() {
    return requestTime;
  }

  public void setRequestTime(String requestTime) {
    this.requestTime = requestTime;
  }

  public String getReadyTime() {
    return readyTime;
  }

  public void setReadyTime(String readyTime) {
    this.readyTime = readyTime;
  }

  public Long getLatencyMilliseconds() {
    return latencyMilliseconds;
  }

  public void setLatencyMilliseconds(Long latencyMilliseconds) {
    this.latencyMilliseconds = latencyMilliseconds;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WakeRecord other && Objects.equals(requestTime, other.requestTime)
        && Objects.equals(readyTime, other.readyTime) && Objects.equals(latencyMilliseconds, other.latencyMilliseconds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(requestTime, readyTime, latencyMilliseconds);
  }
}
