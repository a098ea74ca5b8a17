package io.unikernetes.api.v1alpha1.status;

/** Machine-readable reasons of conditions and Events, one CamelCase word each. */
public enum Reason {
  // Scheduled
  Bound,
  Unschedulable,
  NodeNotFound,
  // Ready (Unikernel)
  AwaitingNode,
  ImageDownloading,
  AwaitingNetwork,
  VolumeSetupFailed,
  DiskPressure,
  ImageDownloadFailed,
  ImageDigestMismatch,
  ImagePullUnauthorized,
  ImageSignatureInvalid,
  Booting,
  Running,
  Adopted,
  GuestExited,
  GuestCrashed,
  Restarting,
  DomainError,
  UnsupportedBootMode,
  ImageNotBootable,
  DomainLost,
  NodeLost,
  NodeDeleted,
  DomainRemoved,
  ProbeFailed,
  LivenessProbeFailed,
  // Reconciling / Stalled (Unikernel)
  Progressing,
  Settled,
  // Available / Progressing (UnikernelDeployment)
  MinimumReplicasAvailable,
  MinimumReplicasUnavailable,
  RolloutInProgress,
  NewRevisionAvailable,
  ProgressDeadlineExceeded,
  InvalidSelector,
  InvalidRolloutStrategy,
  // ScaledToZero (UnikernelDeployment) and its Events
  Idle,
  Serving,
  Draining,
  NoService,
  AutoscalerMinReplicas,
  ActivatorUnavailable,
  Woken,
  WakeTimedOut,
  // Events of UnikernelDeployments
  GuestCreated,
  GuestDeleted,
  // Ready (XenNode)
  HypervisorConnected,
  HypervisorUnreachable,
  NoDiskPressure,
  HeartbeatExpired,
  // Events of XenNodes (guest subnets)
  GuestSubnetAssigned,
  GuestSubnetOverlaps,
  GuestPoolExhausted;

  /** The reason of that name, or empty for a reason this version does not know. */
  public static java.util.Optional<Reason> parse(String name) {
    for (Reason reason : values()) {
      if (reason.name().equals(name)) {
        return java.util.Optional.of(reason);
      }
    }
    return java.util.Optional.empty();
  }
}
