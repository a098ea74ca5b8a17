package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/**
 * Idle deployments go to zero replicas; the operator's activator wakes them on the next connection to one of
 * their Services. Present means on.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScaleToZero {

  /** Default of {@link #getIdleAfterSeconds()}: Knative's scale-to-zero grace and retention add up to about that. */
  public static final int DEFAULT_IDLE_AFTER_SECONDS = 300;
  /** Default of {@link #getMaxWakeSeconds()}. */
  public static final int DEFAULT_MAX_WAKE_SECONDS = 30;

  @Default("300")
  @Min(1)
  @Max(604800)
  @JsonPropertyDescription("Seconds without a request before replicas go to 0 (default 300). Requests are the "
      + "connections the activator takes and the traffic the nodes forward to the guests (see the README); "
      + "readiness and liveness probes do not count. A change of spec (kubectl scale included) starts the wait "
      + "again.")
  private Integer idleAfterSeconds;

  @Default("30")
  @Min(1)
  @Max(3600)
  @JsonPropertyDescription("Seconds a request held by the activator may wait for a Ready guest (default 30). "
      + "Past it the request fails cleanly: HTTP 503 with Retry-After on a Service port whose appProtocol or "
      + "name says http, a closed connection otherwise.")
  private Integer maxWakeSeconds;

  public ScaleToZero() {
  }

  public ScaleToZero(Integer idleAfterSeconds, Integer maxWakeSeconds) {
    this.idleAfterSeconds = idleAfterSeconds;
    this.maxWakeSeconds = maxWakeSeconds;
  }

  public Integer getIdleAfterSeconds() {
    return idleAfterSeconds;
  }

  public void setIdleAfterSeconds(Integer idleAfterSeconds) {
    this.idleAfterSeconds = idleAfterSeconds;
  }

  public Integer getMaxWakeSeconds() {
    return maxWakeSeconds;
  }

  public void setMaxWakeSeconds(Integer maxWakeSeconds) {
    this.maxWakeSeconds = maxWakeSeconds;
  }

  /** {@link #getIdleAfterSeconds()} or its default. */
  public java.time.Duration idleAfter() {
    return java.time.Duration.ofSeconds(idleAfterSeconds == null ? DEFAULT_IDLE_AFTER_SECONDS : idleAfterSeconds);
  }

  /** {@link #getMaxWakeSeconds()} or its default. */
  public java.time.Duration maxWake() {
    return java.time.Duration.ofSeconds(maxWakeSeconds == null ? DEFAULT_MAX_WAKE_SECONDS : maxWakeSeconds);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScaleToZero other && Objects.equals(idleAfterSeconds, other.idleAfterSeconds)
        && Objects.equals(maxWakeSeconds, other.maxWakeSeconds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(idleAfterSeconds, maxWakeSeconds);
  }
}
