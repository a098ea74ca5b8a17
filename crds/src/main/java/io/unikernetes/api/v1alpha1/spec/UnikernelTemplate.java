package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Map;
import java.util.Objects;

/** The Unikernels a UnikernelDeployment creates: their labels and annotations, and the guest to run. */
public class UnikernelTemplate {

  /** Labels and annotations copied to every Unikernel of the template. */
  public static class Metadata {

    @Size(max = 64)
    @JsonPropertyDescription("Labels of the Unikernels (at most 64). Each key of "
        + "spec.selector.matchLabels must have the selector's value here or be left out; guests get the selector's "
        + "labels either way.")
    private Map<String, String> labels;

    @Size(max = 64)
    @JsonPropertyDescription("Annotations of the Unikernels.")
    private Map<String, String> annotations;

    public Map<String, String> getLabels() {
      return labels;
    }

    public void setLabels(Map<String, String> labels) {
      this.labels = labels;
    }

    public Map<String, String> getAnnotations() {
      return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
      this.annotations = annotations;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Metadata other && Objects.equals(labels, other.labels)
          && Objects.equals(annotations, other.annotations);
    }

    @Override
    public int hashCode() {
      return Objects.hash(labels, annotations);
    }
  }

  @Required
  @JsonPropertyDescription("Labels and annotations of the Unikernels.")
  private Metadata metadata;

  @Required
  @JsonPropertyDescription("The guest each Unikernel runs; changing it rolls the guests over to a new revision.")
  private GuestSpec spec;

  public Metadata getMetadata() {
    return metadata;
  }

  public void setMetadata(Metadata metadata) {
    this.metadata = metadata;
  }

  public GuestSpec getSpec() {
    return spec;
  }

  public void setSpec(GuestSpec spec) {
    this.spec = spec;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnikernelTemplate other && Objects.equals(metadata, other.metadata)
        && Objects.equals(spec, other.spec);
  }

  @Override
  public int hashCode() {
    return Objects.hash(metadata, spec);
  }
}
