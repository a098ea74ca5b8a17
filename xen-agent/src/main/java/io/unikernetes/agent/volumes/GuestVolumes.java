package io.unikernetes.agent.volumes;

import io.unikernetes.agent.domain.DiskFormat;
import io.unikernetes.agent.domain.GuestDisk;
import io.unikernetes.api.v1alpha1.spec.GuestVolume;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The per-guest disk files of a node, under {@code DIR/<guest uid>/}: copy-on-write overlays of cached images
 * ({@code NAME.qcow2}) and blank disks ({@code NAME.raw}, sparse). They are made once, kept across the guest's
 * restarts (as a Pod's emptyDir is kept across container restarts) and deleted with the guest. Each file is
 * written under a temporary name and moved into place, so an agent killed half-way leaves no file that looks
 * finished.
 */
public class GuestVolumes {

  private final Path directory;
  private final QemuImg qemuImg;

  public GuestVolumes(Path directory, QemuImg qemuImg) {
    this.directory = directory;
    this.qemuImg = qemuImg;
  }

  /**
   * The guest's disks in volume order, making the overlays and blank disks it does not have yet.
   * {@code images}: the cached disk image of every image volume, by volume name. IOException when a file
   * cannot be made (a full disk, qemu-img missing), naming the volume; DiskImageRejectedException (one) for an
   * image that must not be attached.
   */
  public List<GuestDisk> prepare(String uid, List<GuestVolume> volumes, Map<String, Path> images) throws IOException {
    List<GuestDisk> disks = new ArrayList<>();
    Path guestDir = directory.resolve(uid);
    for (GuestVolume volume : volumes) {
      try {
        disks.add(prepare(guestDir, volume, images));
      } catch (DiskImageRejectedException e) {
        throw new DiskImageRejectedException("volume " + volume.getName() + ": " + e.getMessage());
      } catch (IOException e) {
        throw new IOException("volume " + volume.getName() + ": " + e.getMessage(), e);
      }
    }
    return disks;
  }

  private GuestDisk prepare(Path guestDir, GuestVolume volume, Map<String, Path> images) throws IOException {
    if (volume.getEmptyDisk() != null) {
      long bytes = MemorySize.parse(volume.getEmptyDisk().getCapacity()).bytes();
      Path file = guestDir.resolve(volume.getName() + ".raw");
      if (!Files.exists(file)) {
        Files.createDirectories(guestDir);
        Path partial = guestDir.resolve(volume.getName() + ".raw.partial");
        Files.deleteIfExists(partial);
        try (RandomAccessFile raw = new RandomAccessFile(partial.toFile(), "rw")) {
          raw.setLength(bytes); // sparse: no block is written until the guest writes one
        }
        moveIntoPlace(partial, file);
      }
      return new GuestDisk(volume.getName(), file, DiskFormat.RAW, false);
    }
    Path image = images.get(volume.getName());
    if (image == null) {
      throw new IllegalArgumentException("no cached image for volume " + volume.getName());
    }
    DiskFormat format = DiskFormats.detect(image);
    if (Boolean.TRUE.equals(volume.getReadOnly())) {
      return new GuestDisk(volume.getName(), image, format, true);
    }
    Path overlay = guestDir.resolve(volume.getName() + ".qcow2");
    if (!Files.exists(overlay)) {
      Files.createDirectories(guestDir);
      Path partial = guestDir.resolve(volume.getName() + ".qcow2.partial");
      Files.deleteIfExists(partial);
      qemuImg.createOverlay(image, format, partial);
      moveIntoPlace(partial, overlay);
    }
    return new GuestDisk(volume.getName(), overlay, DiskFormat.QCOW2, false);
  }

  private static void moveIntoPlace(Path partial, Path file) throws IOException {
    try {
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /** Deletes the guest's disk files (its overlays' writes and blank disks): the guest is gone. */
  public void release(String uid) throws IOException {
    Path guestDir = directory.resolve(uid);
    if (!Files.isDirectory(guestDir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(guestDir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** The UIDs of the guests that have disk files on this node. */
  public Set<String> guestsWithFiles() throws IOException {
    Set<String> uids = new HashSet<>();
    if (Files.isDirectory(directory)) {
      try (Stream<Path> dirs = Files.list(directory)) {
        dirs.filter(Files::isDirectory).forEach(d -> uids.add(d.getFileName().toString()));
      }
    }
    return uids;
  }
}
