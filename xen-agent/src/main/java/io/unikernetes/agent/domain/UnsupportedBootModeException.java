package io.unikernetes.agent.domain;

/** The guest asks for a boot mode this host's hypervisor cannot provide. */
public class UnsupportedBootModeException extends RuntimeException {

  public UnsupportedBootModeException(String message) {
    super(message);
  }
}
