package io.unikernetes.agent.images;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Kernel images on local disk, one file per digest. A download goes to a temporary file while its digest is
 * computed and only a verified image is moved into place, so the cache never holds a file whose name lies.
 */
public class ImageCache {

  private final Path directory;
  private final HttpClient http;
  private final Duration timeout;
  private final Timer fetchTimer;

  public ImageCache(Path directory, Duration timeout, MeterRegistry registry) {
    this.directory = directory;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(timeout).build();
    this.fetchTimer = Timer.builder("unikernetes.image.fetch.duration")
        .description("Time to download and verify a kernel image that was not cached")
        .register(registry);
  }

  /** The verified local copy of the image, downloading it first when needed. */
  public Path fetch(ImageSource image) throws ImageFetchException, ImageDigestMismatchException {
    Path target = directory.resolve(image.getSha256() + ".elf");
    if (Files.isRegularFile(target)) {
      return target;
    }
    Timer.Sample sample = Timer.start();
    Path partial = null;
    try {
      Files.createDirectories(directory);
      partial = Files.createTempFile(directory, image.getSha256(), ".partial");
      String actual = download(image.getUrl(), partial);
      if (!actual.equals(image.getSha256())) {
        throw new ImageDigestMismatchException(image.getUrl(), image.getSha256(), actual);
      }
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      sample.stop(fetchTimer);
      return target;
    } catch (IOException e) {
      throw new ImageFetchException("cannot download " + image.getUrl() + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(partial);
    }
  }

  private String download(String url, Path destination) throws IOException, ImageFetchException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageFetchException("interrupted while downloading " + url, e);
    }
    try (InputStream body = response.body(); OutputStream out = Files.newOutputStream(destination)) {
      if (response.statusCode() != 200) {
        throw new ImageFetchException("GET " + url + " answered HTTP " + response.statusCode(), null);
      }
      return Sha256.copy(body, out);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a leftover .partial file is harmless: it never has a digest name
    }
  }
}
