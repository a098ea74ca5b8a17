package io.unikernetes.agent.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.agent.domain.DomainFlavor;
import io.unikernetes.api.v1alpha1.spec.BootMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelInspectorTest {

  @TempDir
  Path dir;

  /** A little-endian ELF with one PT_NOTE segment holding Xen notes of the given types. */
  private static byte[] elf(boolean is64, int... xenNoteTypes) {
    ByteBuffer notes = ByteBuffer.allocate(xenNoteTypes.length * 20).order(ByteOrder.LITTLE_ENDIAN);
    for (int type : xenNoteTypes) {
      notes.putInt(4).putInt(4).putInt(type).put("Xen\0".getBytes(StandardCharsets.US_ASCII)).putInt(0x100000);
    }
    int ehsize = is64 ? 64 : 52;
    int phentsize = is64 ? 56 : 32;
    int notesAt = ehsize + phentsize;
    ByteBuffer file = ByteBuffer.allocate(notesAt + notes.capacity()).order(ByteOrder.LITTLE_ENDIAN);
    file.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), 1, 1});
    if (is64) {
      file.putLong(0x20, ehsize).putShort(0x36, (short) phentsize).putShort(0x38, (short) 1);
      file.putInt(ehsize, 4).putLong(ehsize + 8, notesAt).putLong(ehsize + 32, notes.capacity());
    } else {
      file.putInt(0x1C, ehsize).putShort(0x2A, (short) phentsize).putShort(0x2C, (short) 1);
      file.putInt(ehsize, 4).putInt(ehsize + 4, notesAt).putInt(ehsize + 16, notes.capacity());
    }
    file.put(notesAt, notes.array());
    return file.array();
  }

  private KernelFormat inspect(byte[] bytes) throws IOException {
    Path image = Files.write(dir.resolve("kernel"), bytes);
    return KernelInspector.inspect(image);
  }

  @Test
  void aPvhNoteBootsAsPvhOnXenAndQemu() throws IOException {
    KernelFormat format = inspect(elf(false, 18));
    assertThat(format).isEqualTo(new KernelFormat(true, false, false, false));
    assertThat(format.bootModes(DomainFlavor.XEN)).containsExactlyInAnyOrder(BootMode.PVH, BootMode.HVM);
    assertThat(format.bootModes(DomainFlavor.QEMU)).containsExactlyInAnyOrder(BootMode.PVH, BootMode.HVM);
  }

  @Test
  void xenPvNotesBootOnlyAsPvOnXen() throws IOException {
    KernelFormat format = inspect(elf(true, 6, 5, 3, 1));
    assertThat(format).isEqualTo(new KernelFormat(false, true, false, false));
    assertThat(format.bootModes(DomainFlavor.XEN)).containsExactly(BootMode.PV);
    assertThat(format.bootModes(DomainFlavor.QEMU)).isEmpty();
    assertThat(format.describe()).isEqualTo("Xen PV notes");
    assertThat(format.protocols()).isEqualTo("xen-pv");
    assertThat(new KernelFormat(true, false, true, true).protocols()).isEqualTo("pvh,multiboot,linux");
    assertThat(new KernelFormat(false, false, false, false).protocols()).isEqualTo("none");
  }

  @Test
  void aMultibootHeaderIsFoundWithItsChecksum() throws IOException {
    ByteBuffer image = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
    image.putInt(4096, 0x1BADB002).putInt(4100, 3).putInt(4104, -(0x1BADB002 + 3));
    assertThat(inspect(image.array()).multiboot()).isTrue();
    image.putInt(4104, 0);
    assertThat(inspect(image.array()).multiboot()).isFalse();
  }

  @Test
  void multiboot2AndA64BitElfWithoutLoadAddressesAreNotBootableByQemu() throws IOException {
    ByteBuffer mb2 = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
    mb2.putInt(4096, 0xE85250D6).putInt(4100, 0).putInt(4104, 16).putInt(4108, -(0xE85250D6 + 16));
    assertThat(inspect(mb2.array()).multiboot()).isFalse();
    byte[] elf64 = java.util.Arrays.copyOf(elf(true), 8192);
    ByteBuffer image = ByteBuffer.wrap(elf64).order(ByteOrder.LITTLE_ENDIAN);
    image.putInt(4096, 0x1BADB002).putInt(4100, 3).putInt(4104, -(0x1BADB002 + 3));
    assertThat(inspect(image.array()).multiboot()).isFalse();
    image.putInt(4100, 3 | 1 << 16).putInt(4104, -(0x1BADB002 + (3 | 1 << 16)));
    assertThat(inspect(image.array()).multiboot()).isTrue();
  }

  @Test
  void aHostileNoteSizeIsRejectedWithoutAllocating() throws IOException {
    byte[] image = elf(false, 18);
    ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).putInt(52 + 32, 0x7FFFFFFE); // namesz of the first note
    assertThat(inspect(image).pvhEntry()).isFalse();
  }

  @Test
  void aLinuxBootHeaderIsFound() throws IOException {
    ByteBuffer image = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
    image.putShort(0x1FE, (short) 0xAA55).put(0x202, "HdrS".getBytes(StandardCharsets.US_ASCII));
    assertThat(inspect(image.array()).bootModes(DomainFlavor.XEN)).containsExactlyInAnyOrder(BootMode.values());
  }

  @Test
  void textIsNotBootableAnywhere() throws IOException {
    KernelFormat format = inspect("#!/bin/sh\necho not a kernel\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(format.bootModes(DomainFlavor.XEN)).isEmpty();
    assertThat(format.bootModes(DomainFlavor.QEMU)).isEmpty();
    assertThat(format.describe()).startsWith("no PVH note");
  }

  @Test
  void aTruncatedElfIsReadWithoutFailing() throws IOException {
    byte[] whole = elf(true, 18);
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 10);
    assertThat(inspect(cut).pvhEntry()).isFalse();
  }
}
