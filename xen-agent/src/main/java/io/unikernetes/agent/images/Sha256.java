package io.unikernetes.agent.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a stream, computed while the stream is copied. */
public final class Sha256 {

  private Sha256() {
  }

  /** Copies {@code in} to {@code out} and returns the lowercase hex digest of what was copied. */
  public static String copy(InputStream in, OutputStream out) throws IOException {
    MessageDigest digest = newDigest();
    byte[] buffer = new byte[64 * 1024];
    for (int read; (read = in.read(buffer)) != -1; ) {
      digest.update(buffer, 0, read);
      out.write(buffer, 0, read);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  public static String of(byte[] bytes) {
    return HexFormat.of().formatHex(newDigest().digest(bytes));
  }

  /** A new SHA-256 digest (every JVM has it: Java Security Standard Algorithm Names). */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
