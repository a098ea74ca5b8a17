package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.Objects;

/** N replicas of a guest template, rolled over when the template changes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.template.spec.restartPolicy) || self.template.spec.restartPolicy == 'Always'",
    fieldPath = ".template.spec.restartPolicy",
    message = "a UnikernelDeployment keeps its guests running: template.spec.restartPolicy must be Always")
@ValidationRule(value = "!has(self.template.metadata) || !has(self.template.metadata.labels) "
    + "|| !has(self.selector.matchLabels) || self.selector.matchLabels.all(k, "
    + "!(k in self.template.metadata.labels) || self.template.metadata.labels[k] == self.selector.matchLabels[k])",
    fieldPath = ".template.metadata.labels",
    message = "template.metadata.labels contradicts spec.selector.matchLabels: give each selector key the "
        + "selector's value in the template (or leave it out: guests get the selector's labels)")
public class UnikernelDeploymentSpec {

  @SpecReplicas
  @Default("1")
  @Min(0)
  @Max(10000)
  @JsonPropertyDescription("Desired number of guests (default 1); kubectl scale and HorizontalPodAutoscalers "
      + "change it through the /scale subresource.")
  private Integer replicas;

  @Required
  @SchemaFrom(type = SelectorSchema.class)
  @ValidationRule(value = "has(self.matchLabels) && size(self.matchLabels) > 0 && !has(self.matchExpressions)",
      message = "selector must have matchLabels (matchExpressions are not supported)")
  @JsonPropertyDescription("Labels that select this deployment's Unikernels (matchLabels only). Every guest gets "
      + "them; a template label that contradicts them is rejected.")
  private LabelSelector selector;

  @Required
  @JsonPropertyDescription("The Unikernels to run.")
  private UnikernelTemplate template;

  @JsonPropertyDescription("How guests are replaced when the template changes (default RollingUpdate 25%/25%).")
  private RolloutStrategy strategy;

  @Default("0")
  @Min(0)
  @Max(3600)
  @JsonPropertyDescription("Seconds a new guest must be Ready before it counts as available (default 0).")
  private Integer minReadySeconds;

  @Default("600")
  @Min(1)
  @Max(86400)
  @JsonPropertyDescription("Seconds a rollout may go without progress before Progressing turns False with "
      + "reason ProgressDeadlineExceeded (default 600). The rollout then stops; old guests keep running.")
  private Integer progressDeadlineSeconds;

  @Default("10")
  @Min(0)
  @Max(1000)
  @JsonPropertyDescription("How many finished (Succeeded or Failed) guests to keep for inspection after they "
      + "were replaced (default 10); older ones are deleted.")
  private Integer revisionHistoryLimit;

  @JsonPropertyDescription("Scale to zero when idle and wake on the next request (off when absent). Needs the "
      + "operator's activator (--activator-address); a HorizontalPodAutoscaler with minReplicas >= 1 on this "
      + "deployment keeps it up.")
  private ScaleToZero scaleToZero;

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public LabelSelector getSelector() {
    return selector;
  }

  public void setSelector(LabelSelector selector) {
    this.selector = selector;
  }

  public UnikernelTemplate getTemplate() {
    return template;
  }

  public void setTemplate(UnikernelTemplate template) {
    this.template = template;
  }

  public RolloutStrategy getStrategy() {
    return strategy;
  }

  public void setStrategy(RolloutStrategy strategy) {
    this.strategy = strategy;
  }

  public Integer getMinReadySeconds() {
    return minReadySeconds;
  }

  public void setMinReadySeconds(Integer minReadySeconds) {
    this.minReadySeconds = minReadySeconds;
  }

  public Integer getProgressDeadlineSeconds() {
    return progressDeadlineSeconds;
  }

  public void setProgressDeadlineSeconds(Integer progressDeadlineSeconds) {
    this.progressDeadlineSeconds = progressDeadlineSeconds;
  }

  public Integer getRevisionHistoryLimit() {
    return revisionHistoryLimit;
  }

  public void setRevisionHistoryLimit(Integer revisionHistoryLimit) {
    this.revisionHistoryLimit = revisionHistoryLimit;
  }

  public ScaleToZero getScaleToZero() {
    return scaleToZero;
  }

  public void setScaleToZero(ScaleToZero scaleToZero) {
    this.scaleToZero = scaleToZero;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnikernelDeploymentSpec other && Objects.equals(replicas, other.replicas)
        && Objects.equals(selector, other.selector) && Objects.equals(template, other.template)
        && Objects.equals(strategy, other.strategy) && Objects.equals(minReadySeconds, other.minReadySeconds)
        && Objects.equals(progressDeadlineSeconds, other.progressDeadlineSeconds)
        && Objects.equals(revisionHistoryLimit, other.revisionHistoryLimit)
        && Objects.equals(scaleToZero, other.scaleToZero);
  }

  @Override
  public int hashCode() {
    return Objects.hash(replicas, selector, template, strategy, minReadySeconds, progressDeadlineSeconds,
        revisionHistoryLimit, scaleToZero);
  }
}
