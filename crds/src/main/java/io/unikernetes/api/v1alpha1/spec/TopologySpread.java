package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps a group of guests on different hosts: counted over the XenNodes a guest may use, the node with the
 * most guests of the group may have at most maxSkew more than the node with the fewest.
 */
public class TopologySpread {

  @Required
  @Size(min = 1, max = 16)
  @JsonPropertyDescription("Labels of the guests (in the same namespace) that form the group, e.g. app: web.")
  private Map<String, String> matchLabels;

  @Default("1")
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription("Largest allowed difference between the most and the least loaded node (default 1).")
  private Integer maxSkew;

  public Map<String, String> getMatchLabels() {
    return matchLabels;
  }

  public void setMatchLabels(Map<String, String> matchLabels) {
    this.matchLabels = matchLabels;
  }

  public Integer getMaxSkew() {
    return maxSkew;
  }

  public void setMaxSkew(Integer maxSkew) {
    this.maxSkew = maxSkew;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TopologySpread other && Objects.equals(matchLabels, other.matchLabels)
        && Objects.equals(maxSkew, other.maxSkew);
  }

  @Override
  public int hashCode() {
    return Objects.hash(matchLabels, maxSkew);
  }
}
