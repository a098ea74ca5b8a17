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
  ImageDownloadFailed,
  ImageDigestMismatch,
  Booting,
  Running,
  Adopted,
  GuestExited,
  GuestCrashed,
  Restarting,
  DomainError,
  UnsupportedBootMode,
  // Ready (XenNode)
  HypervisorConnected,
  HypervisorUnreachable
}
