package io.unikernetes.agent.images;

/** The downloaded image does not have the digest the Unikernel pins: it is never booted. */
public class ImageDigestMismatchException extends Exception {

  public ImageDigestMismatchException(String url, String expected, String actual) {
    super("image " + url + " has sha256 " + actual + " but the Unikernel requires " + expected
        + ": fix spec.image.sha256 or the image at that URL");
  }
}
