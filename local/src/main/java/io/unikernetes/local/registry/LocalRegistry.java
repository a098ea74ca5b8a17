package io.unikernetes.local.registry;

import io.unikernetes.local.process.JvmBoundProcess;
import io.unikernetes.local.process.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The CNCF distribution registry on a loopback port, over TLS with a {@link LoopbackCa} and with token
 * authentication through a {@link RegistryTokenServer}: the registry a user pulls unikernel images from, with
 * the handshake real registries use. Storage is a directory of the test's, so a test can damage a blob.
 */
public final class LocalRegistry implements AutoCloseable {

  public static final String SERVICE = "unikernetes-test-registry";

  private final Process process;
  private final RegistryTokenServer tokens;
  private final LoopbackCa ca;
  private final Path storage;
  private final Path orasBinary;
  private final int port;

  private LocalRegistry(Process process, RegistryTokenServer tokens, LoopbackCa ca, Path storage, Path orasBinary,
      int port) {
    this.process = process;
    this.tokens = tokens;
    this.ca = ca;
    this.storage = storage;
    this.orasBinary = orasBinary;
    this.port = port;
  }

  /**
   * Starts a registry under {@code work} with the given users (name to password), each allowed to push and
   * pull everywhere; anonymous callers may pull repositories under public/. Waits until it answers.
   */
  public static LocalRegistry start(Path repoRoot, Path work, Map<String, String> users)
      throws IOException, InterruptedException {
    Path tools = OciTools.locate(repoRoot);
    Files.createDirectories(work);
    LoopbackCa ca = LoopbackCa.create(work.resolve("tls"));
    RegistryTokenServer tokens = RegistryTokenServer.start(users, SERVICE, ca.serverTls());
    Path jwks = Files.writeString(work.resolve("jwks.json"), tokens.jwks());
    Path storage = Files.createDirectories(work.resolve("storage"));
    int port = LoopbackPorts.free();
    Path config = Files.writeString(work.resolve("config.yml"), """
        version: 0.1
        log:
          level: info
          accesslog:
            disabled: true
        storage:
          filesystem:
            rootdirectory: %s
          delete:
            enabled: true
        http:
          addr: 127.0.0.1:%d
          tls:
            certificate: %s
            key: %s
        auth:
          token:
            realm: %s
            service: %s
            issuer: %s
            jwks: %s
            signingalgorithms: [ES256]
        """.formatted(storage, port, ca.certificateFile(), ca.keyFile(), tokens.realm(), SERVICE,
        RegistryTokenServer.ISSUER, jwks));
    Process process = JvmBoundProcess.start(java.util.List.of(tools.resolve("registry").toString(), "serve",
        config.toString()), work.resolve("registry.log"));
    LocalRegistry registry = new LocalRegistry(process, tokens, ca, storage, tools.resolve("oras"), port);
    try {
      registry.awaitServing(work.resolve("registry.log"));
    } catch (IOException | RuntimeException e) {
      registry.close();
      throw e;
    }
    return registry;
  }

  private void awaitServing(Path log) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().sslContext(trusting(ca.caFile())).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IOException("the registry exited: " + Files.readString(log));
      }
      try {
        int status = client.send(HttpRequest.newBuilder(URI.create("https://" + host() + "/v2/")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 401 || status == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("the registry did not answer on " + host() + " within 30 s: " + Files.readString(log));
      }
      Thread.sleep(100);
    }
  }

  /** An SSLContext trusting only {@code caFile}, for clients of this registry in tests. */
  public static SSLContext trusting(Path caFile) throws IOException {
    try (var in = Files.newInputStream(caFile)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  /** host:port, the registry part of image references. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  public Path caFile() {
    return ca.caFile();
  }

  /** The oras CLI built with the registry, for pushing as users do. */
  public Path oras() {
    return orasBinary;
  }

  /** The cosign CLI built with the registry, for signing as users do. */
  public Path cosign() {
    return orasBinary.resolveSibling("cosign");
  }

  /** Where the registry keeps the blob of {@code digest} (distribution's filesystem layout). */
  public Path blobData(String digest) {
    String hex = digest.substring("sha256:".length());
    return storage.resolve("docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex)
        .resolve("data");
  }

  /** Tokens the token service handed out so far. */
  public int tokensIssued() {
    return tokens.issued();
  }

  @Override
  public void close() {
    JvmBoundProcess.stop(process, Duration.ofSeconds(5));
    tokens.close();
  }
}
