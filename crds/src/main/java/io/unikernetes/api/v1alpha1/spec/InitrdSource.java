package io.unikernetes.api.v1alpha1.spec;

/** Where a guest's initial ramdisk comes from, pinned by digest like the kernel. */
public class InitrdSource extends PinnedFile {

  public InitrdSource() {
  }

  public InitrdSource(String url, String sha256) {
    super(url, sha256);
  }

  /** The ramdisk as a download like any image: the agent's cache fetches and verifies both the same way. */
  public ImageSource asDownload() {
    return new ImageSource(getUrl(), getSha256());
  }
}
