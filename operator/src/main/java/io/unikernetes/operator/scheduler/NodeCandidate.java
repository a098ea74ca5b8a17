package io.unikernetes.operator.scheduler;

import io.unikernetes.api.v1alpha1.spec.Taint;
import java.util.List;
import java.util.Map;

/** What the scheduler knows of one XenNode. */
public record NodeCandidate(String name, Map<String, String> labels, boolean ready, boolean cordoned,
    List<Taint> taints, Resources allocatable) {

  public NodeCandidate(String name, Map<String, String> labels, boolean ready, boolean cordoned,
      Resources allocatable) {
    this(name, labels, ready, cordoned, List.of(), allocatable);
  }
}
