package io.unikernetes.agent.guests;

import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import java.util.stream.Stream;

/** Every download a guest boots from, as the agent requests them: its image, its initrd, its volumes' disks. */
public final class GuestImages {

  private GuestImages() {
  }

  public static Stream<ImageSource> of(Unikernel guest) {
    var spec = guest.getSpec();
    if (spec == null || spec.getImage() == null) {
      return Stream.empty();
    }
    Stream<ImageSource> initrd = spec.getImage().getInitrd() == null ? Stream.empty()
        : Stream.of(spec.getImage().getInitrd().asDownload());
    Stream<ImageSource> disks = spec.getVolumes() == null ? Stream.empty()
        : spec.getVolumes().stream().filter(v -> v.getImage() != null).map(v -> v.getImage().asDownload());
    return Stream.concat(Stream.of(spec.getImage()), Stream.concat(initrd, disks));
  }
}
