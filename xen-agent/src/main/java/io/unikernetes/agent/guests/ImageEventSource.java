package io.unikernetes.agent.guests;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.unikernetes.agent.images.ImageDownloads;
import io.unikernetes.api.v1alpha1.Unikernel;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A download that ended (verified, failed or stalled) becomes a reconcile of every guest that waits for it: as
 * its kernel image, its initrd or one of its volumes' disk images.
 */
public class ImageEventSource extends AbstractEventSource<String, Unikernel> {

  public ImageEventSource(ImageDownloads downloads, Supplier<Stream<Unikernel>> guests) {
    super(String.class, "image-downloads");
    downloads.onFinished(image -> {
      if (isRunning()) {
        guests.get().filter(g -> GuestImages.of(g).anyMatch(image::equals))
            .forEach(g -> getEventHandler().handleEvent(new Event(ResourceID.fromResource(g))));
      }
    });
  }

  @Override
  public Set<String> getSecondaryResources(Unikernel primary) {
    return Set.of();
  }
}
