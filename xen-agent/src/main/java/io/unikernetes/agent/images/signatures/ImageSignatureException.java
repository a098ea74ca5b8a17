package io.unikernetes.agent.images.signatures;

/** An image a policy covers has no signature its authorities made: it is never booted. */
public class ImageSignatureException extends Exception {

  public ImageSignatureException(String message) {
    super(message);
  }
}
