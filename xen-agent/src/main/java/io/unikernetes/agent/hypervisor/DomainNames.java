package io.unikernetes.agent.hypervisor;

/**
 * Domain names are {@code uk_<namespace>_<name>_<first 8 characters of the UID>}: readable in
 * {@code virsh list} and unique across a delete and re-create. The name part is cut so the whole stays within
 * {@link #MAX_LENGTH}: libvirt keeps {@code /etc/libvirt/<driver>/NAME.xml} and {@code NAME.log}, xenconsoled
 * writes {@code guest-NAME.log} which the agent rotates to {@code guest-NAME.log.previous}, and a file name
 * has at most 255 bytes (ext4, XFS), while a Unikernel's namespace and name may hold 63 + 253 characters.
 * Which Unikernel a domain belongs to is read from its metadata ({@link DomainMetadata}), never from its name.
 */
public final class DomainNames {

  /** Longest domain name made here: leaves room for every file libvirt and xenconsoled name after it. */
  public static final int MAX_LENGTH = 128;
  private static final String PREFIX = "uk_";

  private DomainNames() {
  }

  /**
   * The name agents before the 128-character cut gave the domain (no cut): domains they defined keep it, and
   * are found by it until they are deleted.
   */
  public static String uncut(GuestIdentity guest) {
    return PREFIX + guest.namespace() + "_" + guest.name() + "_"
        + guest.uid().substring(0, Math.min(8, guest.uid().length()));
  }

  public static String of(GuestIdentity guest) {
    String uid = guest.uid().substring(0, Math.min(8, guest.uid().length()));
    String head = PREFIX + guest.namespace() + "_";
    int room = MAX_LENGTH - head.length() - uid.length() - 1;
    String name = guest.name().length() <= room ? guest.name() : guest.name().substring(0, room);
    return head + name + "_" + uid;
  }
}
