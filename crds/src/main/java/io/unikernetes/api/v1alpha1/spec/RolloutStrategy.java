package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.Objects;

/** How a UnikernelDeployment replaces guests when its template changes. */
public class RolloutStrategy {

  /** The strategies, as Deployments name them. */
  public enum Type { RollingUpdate, Recreate }

  /** Bounds of a rolling update. As for Deployments, both may not be zero: such a rollout could never move. */
  @ValidationRule(value = "!(has(self.maxSurge) && has(self.maxUnavailable) && string(self.maxSurge) in ['0', '0%']"
      + " && string(self.maxUnavailable) in ['0', '0%'])",
      message = "maxSurge and maxUnavailable cannot both be 0: the rollout could never replace a guest; "
          + "allow at least one extra or one unavailable guest")
  public static class RollingUpdate {

    @Default("25%")
    @ValidationRule(value = "type(self) == int ? self >= 0 : self.matches('^[0-9]+%$')",
        message = "maxSurge must be a non-negative number of guests (e.g. 1) or a percentage of replicas (e.g. 25%)")
    @JsonPropertyDescription("Guests that may exist above the desired replicas during a rollout: a number or a "
        + "percentage of replicas, rounded up (default 25%).")
    private IntOrString maxSurge;

    @Default("25%")
    @ValidationRule(value = "type(self) == int ? self >= 0 : (self.matches('^[0-9]+%$') && int(self.replace('%', '')) <= 100)",
        message = "maxUnavailable must be a non-negative number of guests (e.g. 1) or a percentage of replicas "
            + "up to 100% (e.g. 25%)")
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
