package io.unikernetes.agent.probes;

/** The outcome of one probe, with what a person needs to know about it. */
public record ProbeResult(boolean success, String message) {
}
