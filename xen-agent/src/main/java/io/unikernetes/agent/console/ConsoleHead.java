package io.unikernetes.agent.console;

import io.unikernetes.api.v1alpha1.status.UnikernelStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The first lines of a console log, bounded so a chatty guest cannot bloat its Unikernel's status. */
public final class ConsoleHead {

  private ConsoleHead() {
  }

  /** Empty string when the guest printed nothing yet (or the log does not exist). */
  public static String read(Path log) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(log)) {
      bytes = in.readNBytes(UnikernelStatus.CONSOLE_HEAD_MAX_CHARS * 2);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      return "";
    }
    return clean(new String(bytes, StandardCharsets.UTF_8));
  }

  /** Keeps complete lines only (a half-written line would change on the next read), printable text only. */
  static String clean(String raw) {
    StringBuilder out = new StringBuilder();
    int lines = 0;
    StringBuilder line = new StringBuilder();
    for (char c : raw.toCharArray()) {
      if (c == '\n') {
        if (out.length() + line.length() + 1 > UnikernelStatus.CONSOLE_HEAD_MAX_CHARS
            || lines == UnikernelStatus.CONSOLE_HEAD_MAX_LINES) {
          break;
        }
        out.append(line).append('\n');
        line.setLength(0);
        lines++;
      } else if (c == '\t' || (c >= ' ' && c != 0x7f && c != '\uFFFD')) {
        line.append(c);
      }
    }
    return out.toString();
  }

  public static boolean isFull(String head) {
    return head.length() >= UnikernelStatus.CONSOLE_HEAD_MAX_CHARS - 80
        || head.chars().filter(c -> c == '\n').count() >= UnikernelStatus.CONSOLE_HEAD_MAX_LINES;
  }
}
