package io.unikernetes.api.v1alpha1.spec;

/** Transport protocol of a guest port, as in a Pod's container ports (SCTP is not offered: no unikernel speaks it). */
public enum PortProtocol { TCP, UDP }
