package io.unikernetes.agent.hypervisor;

/** A libvirt call failed; the message says which call and why. */
public class HypervisorException extends RuntimeException {

  public HypervisorException(String message, Throwable cause) {
    super(message, cause);
  }
}
