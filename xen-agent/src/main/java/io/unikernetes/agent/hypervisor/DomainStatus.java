package io.unikernetes.agent.hypervisor;

/** What libvirt says about one Unikernetes domain. {@code id} is the hypervisor's domain ID (-1 when off). */
public record DomainStatus(String name, String uuid, int id, DomainState state, StopReason stopReason,
    GuestIdentity owner) {
}
