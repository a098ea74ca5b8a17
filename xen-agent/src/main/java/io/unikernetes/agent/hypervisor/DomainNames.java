package io.unikernetes.agent.hypervisor;

import java.util.Optional;

/**
 * Domain names are {@code uk_<namespace>_<name>_<first 8 characters of the UID>}: readable in
 * {@code virsh list}, unique across a delete and re-create, and reversible without asking libvirt
 * (underscores never occur in Kubernetes namespaces or names).
 */
public final class DomainNames {

  private static final String PREFIX = "uk_";

  /** Namespace and name of a Unikernel. */
  public record GuestRef(String namespace, String name) {
  }

  private DomainNames() {
  }

  public static String of(GuestIdentity guest) {
    return PREFIX + guest.namespace() + "_" + guest.name() + "_" + guest.uid().substring(0, Math.min(8, guest.uid().length()));
  }

  public static Optional<GuestRef> parse(String domainName) {
    if (!domainName.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String[] parts = domainName.substring(PREFIX.length()).split("_");
    return parts.length == 3 ? Optional.of(new GuestRef(parts[0], parts[1])) : Optional.empty();
  }
}
