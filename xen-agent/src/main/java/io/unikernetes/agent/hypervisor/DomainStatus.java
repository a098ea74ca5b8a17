package io.unikernetes.agent.hypervisor;

/**
 * What libvirt says about one Unikernetes domain. {@code id} is the hypervisor's domain ID (-1 when off);
 * {@code ip} the guest address its metadata records, held for as long as the domain exists.
 */
public record DomainStatus(String name, String uuid, int id, DomainState state, StopReason stopReason,
    GuestIdentity owner, java.util.Optional<String> ip) {
}
