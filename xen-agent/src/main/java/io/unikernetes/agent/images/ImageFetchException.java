package io.unikernetes.agent.images;

/** The image could not be downloaded (network, HTTP status, disk); retried later. */
public class ImageFetchException extends Exception {

  public ImageFetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
