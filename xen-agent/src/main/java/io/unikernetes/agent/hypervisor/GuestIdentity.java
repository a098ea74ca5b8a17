package io.unikernetes.agent.hypervisor;

/** Which Unikernel a domain belongs to; stored in the domain's libvirt metadata. */
public record GuestIdentity(String uid, String namespace, String name, String node) {
}
