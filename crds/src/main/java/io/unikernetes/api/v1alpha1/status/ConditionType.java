package io.unikernetes.api.v1alpha1.status;

/** The conditions Unikernetes resources report. */
public enum ConditionType {
  /** Unikernel: bound to a XenNode (False with reason Unschedulable when no node fits). */
  Scheduled,
  /** Unikernel: the guest runs. XenNode: the agent is connected to its hypervisor. */
  Ready
}
