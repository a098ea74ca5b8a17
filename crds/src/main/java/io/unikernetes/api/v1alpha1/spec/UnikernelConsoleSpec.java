package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Which agent publishes a console; the agents' admission policy keeps each to its own node's. */
public class UnikernelConsoleSpec {

  @JsonPropertyDescription("The XenNode whose agent runs the guest and writes this console (the guest's "
      + "spec.nodeName).")
  @io.fabric8.generator.annotation.Required
  private String nodeName;

  public String getNodeName() {
    return nodeName;
  }

  public void setNodeName(String nodeName) {
    this.nodeName = nodeName;
  }
}
