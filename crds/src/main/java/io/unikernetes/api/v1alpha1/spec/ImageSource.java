package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Where the kernel image (and its initial ramdisk, if any) comes from, pinned by digest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageSource extends PinnedFile {

  @JsonPropertyDescription("An initial ramdisk passed to the guest with the kernel (a Unikraft root filesystem, a "
      + "Linux initramfs), cached and verified exactly like the kernel.")
  private InitrdSource initrd;

  public ImageSource() {
  }

  public ImageSource(String url, String sha256) {
    super(url, sha256);
  }

  public InitrdSource getInitrd() {
    return initrd;
  }

  public void setInitrd(InitrdSource initrd) {
    this.initrd = initrd;
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o) && Objects.equals(initrd, ((ImageSource) o).initrd);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + Objects.hashCode(initrd);
  }
}
