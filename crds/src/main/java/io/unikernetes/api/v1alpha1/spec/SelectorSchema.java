package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/**
 * The schema of a UnikernelDeployment's selector: a Kubernetes LabelSelector with its matchLabels bounded,
 * so the API server can afford the CEL rule that compares them with the template's labels (its cost
 * estimate multiplies by the largest map the schema allows). Schema only; the field's Java type stays
 * LabelSelector.
 */
public final class SelectorSchema {

  @Size(max = 16)
  @JsonPropertyDescription("Labels every selected Unikernel carries (at most 16).")
  private Map<String, String> matchLabels;

  @JsonPropertyDescription("Not supported: use matchLabels.")
  private List<io.fabric8.kubernetes.api.model.LabelSelectorRequirement> matchExpressions;

  private SelectorSchema() {
  }

  public Map<String, String> getMatchLabels() {
    return matchLabels;
  }

  public List<io.fabric8.kubernetes.api.model.LabelSelectorRequirement> getMatchExpressions() {
    return matchExpressions;
  }
}
