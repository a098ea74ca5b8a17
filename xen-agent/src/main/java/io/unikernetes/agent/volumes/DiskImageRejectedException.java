package io.unikernetes.agent.volumes;

import java.io.IOException;

/** A disk image the agent will not attach, whatever happens next: retrying cannot help. */
public class DiskImageRejectedException extends IOException {
  public DiskImageRejectedException(String message) {
    super(message);
  }
}
