package io.unikernetes.agent.images.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A blob's body with the download's two deadlines: {@code idle} without a byte and {@code total} for the
 * whole pull. A look every 250 ms closes the stream when either passes, which ends a read blocked on a
 * connection that stopped sending; the read then fails with the reason. Counts bytes into {@code received}.
 */
final class StalledStream extends FilterInputStream {

  private final Duration idle;
  private final long deadlineNanos;
  private final AtomicLong received;
  private final ScheduledFuture<?> look;
  private volatile long lastDataNanos = System.nanoTime();
  private volatile String overdue;

  StalledStream(InputStream in, Duration idle, long deadlineNanos, AtomicLong received,
      ScheduledExecutorService looks) {
    super(in);
    this.idle = idle;
    this.deadlineNanos = deadlineNanos;
    this.received = received;
    this.look = looks.scheduleWithFixedDelay(this::look, 250, 250, TimeUnit.MILLISECONDS);
  }

  private void look() {
    long now = System.nanoTime();
    String why = now - deadlineNanos > 0 ? "not complete within the pull's total timeout"
        : now - lastDataNanos > idle.toNanos() ? "stalled: no data for " + idle.toSeconds() + " s" : null;
    if (why != null && overdue == null) {
      overdue = why + " (" + received.get() + " bytes received)";
      try {
        in.close();
      } catch (IOException ignored) {
        // closing is how the blocked read ends; its own failure says nothing more
      }
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = in.read(b, off, len);
    } catch (IOException e) {
      throw overdue != null ? new IOException(overdue, e) : e;
    }
    if (overdue != null) {
      throw new IOException(overdue);
    }
    if (n > 0) {
      lastDataNanos = System.nanoTime();
      received.addAndGet(n);
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    look.cancel(false);
    super.close();
  }
}
