package io.unikernetes.agent.images;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives a response body into a file while hashing it, and notes when data last arrived so a stalled
 * transfer can be told apart from a slow one. {@link #abort()} cancels the subscription, which closes the
 * connection: the way to stop a body that stopped coming.
 */
final class FileSink implements Flow.Subscriber<List<ByteBuffer>> {

  private final FileChannel file;
  private final AtomicLong received;
  private final MessageDigest digest;
  private volatile Flow.Subscription subscription;
  private volatile long lastDataNanos;
  private volatile boolean aborted;
  private volatile IOException failure;

  FileSink(FileChannel file, AtomicLong received) {
    this.file = file;
    this.received = received;
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    lastDataNanos = System.nanoTime();
    if (aborted) {
      subscription.cancel();
    } else {
      subscription.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    try {
      for (ByteBuffer buffer : buffers) {
        digest.update(buffer.duplicate());
        while (buffer.hasRemaining()) {
          received.addAndGet(file.write(buffer));
        }
      }
      lastDataNanos = System.nanoTime();
    } catch (IOException e) {
      // A subscriber must not throw; the download loop reports the failure and ends the transfer.
      failure = e;
      abort();
    }
  }

  @Override
  public void onError(Throwable throwable) {
    // the response future completes exceptionally with the same cause
  }

  @Override
  public void onComplete() {
    // the response future completes with digest()
  }

  /** The local write that failed (disk full, say), if one did. */
  IOException failure() {
    return failure;
  }

  boolean started() {
    return subscription != null;
  }

  long lastDataNanos() {
    return lastDataNanos;
  }

  void abort() {
    aborted = true;
    Flow.Subscription current = subscription;
    if (current != null) {
      current.cancel();
    }
  }

  String digest() {
    return HexFormat.of().formatHex(digest.digest());
  }
}
