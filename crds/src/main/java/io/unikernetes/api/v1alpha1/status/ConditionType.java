package io.unikernetes.api.v1alpha1.status;

/** The conditions Unikernetes resources report. */
public enum ConditionType {
  /** Unikernel: bound to a XenNode (False with reason Unschedulable when no node fits). */
  Scheduled,
  /** Unikernel: the guest runs. XenNode: the agent is connected to its hypervisor. */
  Ready,
  /** Unikernel (kstatus convention, abnormal-true): still on its way to Running; GitOps tools show Progressing. */
  Reconciling,
  /** Unikernel (kstatus convention, abnormal-true): cannot progress without a change; GitOps tools show Degraded. */
  Stalled,
  /** UnikernelDeployment: at least replicas - maxUnavailable guests are available. */
  Available,
  /** UnikernelDeployment: the rollout makes progress (False with ProgressDeadlineExceeded when stuck). */
  Progressing,
  /**
   * XenNode (as a Node's): True while the agent's image cache cannot take new images (over its bound with every
   * image in use, or its file system full); guests that need a new image wait with reason DiskPressure.
   */
  DiskPressure,
  /**
   * UnikernelDeployment with spec.scaleToZero: True while it has zero replicas (reason Idle; since the
   * condition's lastTransitionTime), and the activator stands in for it. False while it serves (Serving), while
   * it drains before going to zero (Draining: its Services go through the activator), or while something keeps
   * it up (AutoscalerMinReplicas, NoService, ActivatorUnavailable).
   */
  ScaledToZero
}
