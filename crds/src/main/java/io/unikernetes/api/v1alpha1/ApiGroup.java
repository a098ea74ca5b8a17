package io.unikernetes.api.v1alpha1;

/** Names shared by every Unikernetes resource: API group, version, labels and finalizers. */
public final class ApiGroup {
  public static final String NAME = "unikernetes.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = NAME + "/" + VERSION;

  /**
   * Label the scheduler sets on a bound Unikernel, naming its node (through {@link LabelValues}), for people and
   * selectors. Agents and the operator go by the immutable spec.nodeName, never by this label.
   */
  public static final String NODE_LABEL = NAME + "/node";
  /** Label each agent puts on its XenNode, usable in a Unikernel's nodeSelector. */
  public static final String HOSTNAME_LABEL = NAME + "/hostname";
  /** Label each agent puts on its XenNode naming the hypervisor (xen, qemu, test). */
  public static final String HYPERVISOR_LABEL = NAME + "/hypervisor";
  /** Label of a deployment's Unikernels naming their template revision. */
  public static final String TEMPLATE_HASH_LABEL = NAME + "/template-hash";
  /**
   * Annotation of a guest whose node should report its traffic (status.lastActivityTime), at most once per
   * that many seconds; its deployment sets it when spec.scaleToZero is on.
   */
  public static final String ACTIVITY_REPORT_ANNOTATION = NAME + "/activity-report-seconds";
  /** Finalizer held by the agent until the guest's domain is destroyed and undefined. */
  public static final String DOMAIN_FINALIZER = NAME + "/domain-cleanup";

  private ApiGroup() {
  }
}
