package io.unikernetes.agent.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.api.v1alpha1.status.UnikernelStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleHeadTest {

  @TempDir
  Path dir;

  @Test
  void keepsCompleteLinesWithoutCarriageReturnsOrControlCharacters() throws Exception {
    Path log = dir.resolve("guest.log");
    Files.writeString(log, "UNIKERNEL READY cmdline=a b\r\n\u001b[0mcolour\r\nhalf a li");
    assertThat(ConsoleHead.read(log)).isEqualTo("UNIKERNEL READY cmdline=a b\n[0mcolour\n");
  }

  @Test
  void isBoundedInLinesAndCharacters() {
    String many = "line\n".repeat(100);
    assertThat(ConsoleHead.clean(many).lines()).hasSize(UnikernelStatus.CONSOLE_HEAD_MAX_LINES);
    String wide = ("x".repeat(1000) + "\n").repeat(5);
    assertThat(ConsoleHead.clean(wide).length()).isLessThanOrEqualTo(UnikernelStatus.CONSOLE_HEAD_MAX_CHARS);
    assertThat(ConsoleHead.isFull(ConsoleHead.clean(many))).isTrue();
  }

  @Test
  void aMissingLogIsEmpty() {
    assertThat(ConsoleHead.read(dir.resolve("absent.log"))).isEmpty();
  }
}
