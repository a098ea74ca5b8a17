package io.unikernetes.agent.guests;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.unikernetes.agent.images.ImageDownloads;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
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
        guests.get().filter(g -> waitsFor(g, image))
            .forEach(g -> getEventHandler().handleEvent(new Event(ResourceID.fromResource(g))));
      }
    });
  }

  static boolean waitsFor(Unikernel guest, ImageSource download) {
    var spec = guest.getSpec();
    if (download.equals(spec.getImage())) {
      return true;
    }
    if (spec.getImage() != null && spec.getImage().getInitrd() != null
        && download.equals(spec.getImage().getInitrd().asDownload())) {
      return true;
    }
    return spec.getVolumes() != null && spec.getVolumes().stream()
        .anyMatch(v -> v.getImage() != null && download.equals(v.getImage().asDownload()));
  }

  @Override
  public Set<String> getSecondaryResources(Unikernel primary) {
    return Set.of();
  }
}
