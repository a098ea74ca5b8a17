package io.unikernetes.agent.images;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads which boot protocols a kernel image offers, before any domain is defined for it. Looks at the ELF
 * program headers' notes (ELF specification; note types from Xen's public/elfnote.h), the Multiboot 1 header
 * (magic 0x1BADB002 in the first 8 KiB, 4-byte aligned, with its checksum; Multiboot 2 is not counted: QEMU's
 * -kernel does not boot it) and the Linux boot header. Pure reading, no execution.
 */
public final class KernelInspector {

  private static final int XEN_ELFNOTE_ENTRY = 1;
  private static final int XEN_ELFNOTE_HYPERCALL_PAGE = 2;
  private static final int XEN_ELFNOTE_VIRT_BASE = 3;
  private static final int XEN_ELFNOTE_GUEST_OS = 6;
  private static final int XEN_ELFNOTE_PHYS32_ENTRY = 18;
  private static final int PT_NOTE = 4;
  /** Notes of a kernel are a few hundred bytes; anything this large is not a note segment worth reading. */
  private static final long MAX_NOTES = 1 << 20;

  private KernelInspector() {
  }

  /** IOException when the file cannot be read. */
  public static KernelFormat inspect(Path image) throws IOException {
    try (FileChannel file = FileChannel.open(image, StandardOpenOption.READ)) {
      ByteBuffer head = read(file, 0, 32 * 1024);
      boolean pvh = false;
      boolean pv = false;
      if (isElf(head)) {
        for (ByteBuffer notes : noteSegments(file, head)) {
          while (notes.remaining() >= 12) {
            int nameSize = notes.getInt();
            int descSize = notes.getInt();
            int type = notes.getInt();
            if (nameSize < 0 || descSize < 0 || align4(nameSize) + align4(descSize) > notes.remaining()) {
              break;
            }
            byte[] name = new byte[nameSize];
            notes.get(name);
            notes.position((int) (notes.position() - nameSize + align4(nameSize) + align4(descSize)));
            if (new String(name, StandardCharsets.US_ASCII).equals("Xen\0")) {
              pvh |= type == XEN_ELFNOTE_PHYS32_ENTRY;
              pv |= type == XEN_ELFNOTE_ENTRY || type == XEN_ELFNOTE_HYPERCALL_PAGE || type == XEN_ELFNOTE_VIRT_BASE
                  || type == XEN_ELFNOTE_GUEST_OS;
            }
          }
        }
      }
      return new KernelFormat(pvh, pv, multiboot(head, isElf(head) && head.get(4) == 2), linux(head));
    }
  }

  private static ByteBuffer read(FileChannel file, long offset, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(0, Math.min(length, file.size() - offset)));
    while (buffer.hasRemaining() && file.read(buffer, offset + buffer.position()) >= 0) {
      // read until full or end of file
    }
    return buffer.flip().order(ByteOrder.LITTLE_ENDIAN);
  }

  private static boolean isElf(ByteBuffer head) {
    return head.limit() >= 64 && head.get(0) == 0x7f && head.get(1) == 'E' && head.get(2) == 'L' && head.get(3) == 'F'
        && head.get(5) == 1; // little-endian: every x86 kernel
  }

  private static java.util.List<ByteBuffer> noteSegments(FileChannel file, ByteBuffer head) throws IOException {
    boolean is64 = head.get(4) == 2;
    long phoff = is64 ? head.getLong(0x20) : Integer.toUnsignedLong(head.getInt(0x1C));
    int phentsize = Short.toUnsignedInt(head.getShort(is64 ? 0x36 : 0x2A));
    int phnum = Short.toUnsignedInt(head.getShort(is64 ? 0x38 : 0x2C));
    java.util.List<ByteBuffer> segments = new java.util.ArrayList<>();
    if (phentsize < (is64 ? 56 : 32) || phoff <= 0) {
      return segments;
    }
    ByteBuffer table = read(file, phoff, phentsize * phnum);
    for (int i = 0; i + phentsize <= table.limit(); i += phentsize) {
      if (table.getInt(i) != PT_NOTE) {
        continue;
      }
      long offset = is64 ? table.getLong(i + 8) : Integer.toUnsignedLong(table.getInt(i + 4));
      long size = is64 ? table.getLong(i + 32) : Integer.toUnsignedLong(table.getInt(i + 16));
      if (offset >= 0 && size > 0 && size <= MAX_NOTES) {
        segments.add(read(file, offset, (int) size));
      }
    }
    return segments;
  }

  /**
   * A Multiboot 1 header QEMU's -kernel loader accepts: it does not take Multiboot 2, nor a 64-bit ELF unless
   * the header carries its own load addresses (flag bit 16, the "a.out kludge").
   */
  private static boolean multiboot(ByteBuffer head, boolean elf64) {
    for (int i = 0; i + 12 <= Math.min(head.limit(), 8192); i += 4) {
      if (head.getInt(i) == 0x1BADB002 && head.getInt(i) + head.getInt(i + 4) + head.getInt(i + 8) == 0) {
        return !elf64 || (head.getInt(i + 4) & (1 << 16)) != 0;
      }
    }
    return false;
  }

  private static boolean linux(ByteBuffer head) {
    return head.limit() >= 0x206 && head.getShort(0x1FE) == (short) 0xAA55 && head.get(0x202) == 'H'
        && head.get(0x203) == 'd' && head.get(0x204) == 'r' && head.get(0x205) == 'S';
  }

  /** As a long: a hostile size near Integer.MAX_VALUE must not wrap around and pass the bounds check. */
  private static long align4(int size) {
    return (size + 3L) & ~3L;
  }
}
