package io.unikernetes.agent.images.oci;

/** The manifest is not a unikernel image this agent can boot: no kernel by any convention it knows. */
public class OciFormatException extends Exception {

  public OciFormatException(String message) {
    super(message);
  }
}
