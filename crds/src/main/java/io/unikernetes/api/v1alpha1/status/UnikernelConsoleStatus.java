package io.unikernetes.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** The console of a guest's current boot and of the one before. */
public class UnikernelConsoleStatus {

  @JsonPropertyDescription("The guest's boots, newest first: the current one and the previous one (kubectl "
      + "unikernetes logs --previous).")
  @io.fabric8.generator.annotation.Size(max = 2)
  private List<ConsoleBoot> boots = new ArrayList<>();

  public List<ConsoleBoot> getBoots() {
    return boots;
  }

  public void setBoots(List<ConsoleBoot> boots) {
    this.boots = boots;
  }
}
