package io.unikernetes.e2e.support;

import io.unikernetes.api.v1alpha1.spec.ImageSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The hello guest as an image source, served over HTTP once per test JVM, as a user's artifact server would. */
public final class HelloImage {

  private static ImageSource image;

  private HelloImage() {
  }

  public static synchronized ImageSource get() {
    if (image == null) {
      try {
        Path guest = Repository.locate().helloGuest();
        GuestImageServer server = GuestImageServer.serve(guest.getParent());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "hello-image-server-shutdown"));
        image = new ImageSource(server.urlOf(guest.getFileName().toString()), GuestImageServer.sha256Of(guest));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return image;
  }
}
