package io.unikernetes.e2e.support;

import io.unikernetes.local.artifacts.GuestImageServer;
import io.unikernetes.local.repository.Repository;

import io.unikernetes.api.v1alpha1.spec.ImageSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The hello guest's images, served over HTTP once per test JVM, as a user's artifact server would. */
public final class HelloImage {

  private static GuestImageServer server;

  private HelloImage() {
  }

  /** The PVH image (QEMU, Xen PVH). */
  public static ImageSource get() {
    return imageOf(Repository.locate().helloGuest());
  }

  /** The Xen PV image. */
  public static ImageSource pv() {
    return imageOf(Repository.locate().helloPvGuest());
  }

  private static synchronized ImageSource imageOf(Path guest) {
    try {
      if (server == null) {
        GuestImageServer started = GuestImageServer.serve(guest.getParent());
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, "hello-image-server-shutdown"));
        server = started;
      }
      return new ImageSource(server.urlOf(guest.getFileName().toString()), GuestImageServer.sha256Of(guest));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
