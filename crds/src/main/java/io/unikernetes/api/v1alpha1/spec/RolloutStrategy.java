package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.Objects;

/** How a UnikernelDeployment replaces guests when its template changes. */
public class RolloutStrategy {

  /** The strategies, as Deployments name them. */
  public enum Type { RollingUpdate, Recreate }

  /** Bounds of a rolling update. */
  public static class RollingUpdate {

    @Default("25%")
    @JsonPropertyDescription("Guests that may exist above the desired replicas during a rollout: a number or a "
        + "percentage of replicas, rounded up (default 25%).")
    private IntOrString maxSurge;

    @Default("25%")
    @JsonPropertyDescription("Guests that may be unavailable during a rollout: a number or a percentage of "
        + "replicas, rounded down (default 25%). Cannot be 0 when maxSurge is 0.")
    private IntOrString maxUnavailable;

    public IntOrString getMaxSurge() {
      return maxSurge;
    }

    public void setMaxSurge(IntOrString maxSurge) {
      this.maxSurge = maxSurge;
    }

    public IntOrString getMaxUnavailable() {
      return maxUnavailable;
    }

    public void setMaxUnavailable(IntOrString maxUnavailable) {
      this.maxUnavailable = maxUnavailable;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RollingUpdate other && Objects.equals(maxSurge, other.maxSurge)
          && Objects.equals(maxUnavailable, other.maxUnavailable);
    }

    @Override
    public int hashCode() {
      return Objects.hash(maxSurge, maxUnavailable);
    }
  }

  @Default("RollingUpdate")
  @JsonPropertyDescription("RollingUpdate (default) replaces guests gradually within rollingUpdate's bounds; "
      + "Recreate stops every old guest before starting new ones.")
  private Type type;

  @JsonPropertyDescription("Bounds of a RollingUpdate.")
  private RollingUpdate rollingUpdate;

  public Type getType() {
    return type;
  }

  public void setType(Type type) {
    this.type = type;
  }

  public RollingUpdate getRollingUpdate() {
    return rollingUpdate;
  }

  public void setRollingUpdate(RollingUpdate rollingUpdate) {
    this.rollingUpdate = rollingUpdate;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RolloutStrategy other && type == other.type
        && Objects.equals(rollingUpdate, other.rollingUpdate);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, rollingUpdate);
  }
}
