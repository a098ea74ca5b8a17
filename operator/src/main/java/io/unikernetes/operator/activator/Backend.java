package io.unikernetes.operator.activator;

/** A Ready guest's address and the port a Service port resolves to on it. */
public record Backend(String ip, int port) {
}
