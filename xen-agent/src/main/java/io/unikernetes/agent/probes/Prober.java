package io.unikernetes.agent.probes;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs probes without blocking a thread per probe: HTTP through one shared {@link HttpClient} on a small
 * executor, TCP through asynchronous socket channels. An HTTP status from 200 to 399 passes, as for Pods.
 */
public final class Prober implements AutoCloseable {

  private final ExecutorService executor;
  private final HttpClient http;

  public Prober(ExecutorService executor) {
    this.executor = executor;
    this.http = HttpClient.newBuilder().executor(executor).followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1).build();
  }

  public CompletableFuture<ProbeResult> probe(ProbeTarget target) {
    CompletableFuture<ProbeResult> result = target.path().isPresent() ? httpGet(target) : tcp(target);
    long millis = target.timeout().toMillis();
    return result.completeOnTimeout(new ProbeResult(false, target.describe() + ": no answer within "
        + target.timeout().toSeconds() + " s"), millis, TimeUnit.MILLISECONDS);
  }

  private CompletableFuture<ProbeResult> httpGet(ProbeTarget target) {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://" + target.host() + ":" + target.port() + target.path().orElseThrow()))
        .timeout(target.timeout()).GET();
    target.headers().forEach(h -> request.header(h.getName(), h.getValue()));
    request.header("User-Agent", "unikernetes-probe/1");
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
        .handle((response, error) -> {
          if (error != null) {
            return new ProbeResult(false, target.describe() + ": " + why(error));
          }
          int status = response.statusCode();
          boolean success = status >= 200 && status < 400;
          return new ProbeResult(success, target.describe() + ": HTTP " + status);
        });
  }

  private static CompletableFuture<ProbeResult> tcp(ProbeTarget target) {
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    AsynchronousSocketChannel channel;
    try {
      channel = AsynchronousSocketChannel.open();
    } catch (IOException e) {
      return CompletableFuture.completedFuture(new ProbeResult(false, target.describe() + ": " + why(e)));
    }
    channel.connect(new InetSocketAddress(target.host(), target.port()), null,
        new CompletionHandler<Void, Void>() {
          @Override
          public void completed(Void ignored, Void attachment) {
            result.complete(new ProbeResult(true, target.describe() + ": connected"));
          }

          @Override
          public void failed(Throwable error, Void attachment) {
            result.complete(new ProbeResult(false, target.describe() + ": " + why(error)));
          }
        });
    // Closed whatever the outcome, a timeout included (which also ends a pending connect).
    return result.whenComplete((r, e) -> close(channel));
  }

  private static void close(AsynchronousSocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
  }

  private static String why(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof ConnectException) {
      return "connection refused";
    }
    if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
      return "timed out";
    }
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
