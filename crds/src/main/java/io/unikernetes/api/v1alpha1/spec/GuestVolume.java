package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * A block device of the guest: a disk image (shared read-only, or through the guest's own copy-on-write
 * overlay) or a blank disk. Lives as a Pod's volume does: kept across restarts of the guest, removed with it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.image) != has(self.emptyDisk)",
    message = "a volume needs exactly one source: image (a disk image) or emptyDisk (a blank disk)")
@ValidationRule(value = "!has(self.emptyDisk) || !has(self.readOnly) || !self.readOnly",
    message = "an emptyDisk cannot be readOnly: it is blank, so the guest could never read anything from it")
public class GuestVolume {

  @Required
  @Size(max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of the volume, unique in the guest (a DNS label). QEMU guests see its first 20 "
      + "characters (virtio-blk's limit) as the disk's serial number (/dev/disk/by-id/virtio-NAME).")
  private String name;

  @JsonPropertyDescription("A disk image, pinned by digest: a file at a URL with its SHA-256, or an OCI image's "
      + "disk layer. The node caches it once for all guests; it is never written.")
  private DiskSource image;

  @JsonPropertyDescription("A blank disk of the given capacity, made when the guest is first booted and deleted "
      + "with the guest (it survives the guest's restarts).")
  private EmptyDisk emptyDisk;

  @JsonPropertyDescription("For image volumes: true attaches the shared image read-only; false (the default) "
      + "gives the guest a copy-on-write overlay of it (qcow2 backed by the image), so its writes stay its own "
      + "and the image stays pristine.")
  private Boolean readOnly;

  public GuestVolume() {
  }

  public static GuestVolume image(String name, DiskSource image, boolean readOnly) {
    GuestVolume volume = new GuestVolume();
    volume.setName(name);
    volume.setImage(image);
    volume.setReadOnly(readOnly);
    return volume;
  }

  public static GuestVolume emptyDisk(String name, String capacity) {
    GuestVolume volume = new GuestVolume();
    volume.setName(name);
    volume.setEmptyDisk(new EmptyDisk(capacity));
    return volume;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public DiskSource getImage() {
    return image;
  }

  public void setImage(DiskSource image) {
    this.image = image;
  }

  public EmptyDisk getEmptyDisk() {
    return emptyDisk;
  }

  public void setEmptyDisk(EmptyDisk emptyDisk) {
    this.emptyDisk = emptyDisk;
  }

  public Boolean getReadOnly() {
    return readOnly;
  }

  public void setReadOnly(Boolean readOnly) {
    this.readOnly = readOnly;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GuestVolume other && Objects.equals(name, other.name) && Objects.equals(image, other.image)
        && Objects.equals(emptyDisk, other.emptyDisk) && Objects.equals(readOnly, other.readOnly);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, image, emptyDisk, readOnly);
  }
}
