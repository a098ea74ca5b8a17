package io.unikernetes.agent.images;

/** The registry refused the pull: no credentials where it needs some, or credentials it does not accept. */
public class ImagePullUnauthorizedException extends ImageFetchException {

  public ImagePullUnauthorizedException(String message, Throwable cause) {
    super(message, cause);
  }
}
