package io.unikernetes.operator.scheduler;

import io.unikernetes.api.v1alpha1.spec.Taint;
import java.util.List;
import java.util.Map;

/**
 * What the scheduler knows of one XenNode: {@code hostCpus} is its CPU count (no guest may have more vCPUs),
 * {@code overhead} what it charges per guest on top of the guest's request.
 */
public record NodeCandidate(String name, Map<String, String> labels, boolean ready, boolean cordoned,
    List<Taint> taints, Resources allocatable, int hostCpus, Overhead overhead) {

  /** A node of 64 CPUs without per-guest overhead, as tests want it. */
  public NodeCandidate(String name, Map<String, String> labels, boolean ready, boolean cordoned,
      List<Taint> taints, Resources allocatable) {
    this(name, labels, ready, cordoned, taints, allocatable, 64, Overhead.NONE);
  }

  public NodeCandidate(String name, Map<String, String> labels, boolean ready, boolean cordoned,
      Resources allocatable) {
    this(name, labels, ready, cordoned, List.of(), allocatable);
  }
}
