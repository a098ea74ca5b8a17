package io.unikernetes.agent.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Trust for image pulls over https: the JVM's certificates plus the CA certificates of a PEM file (a private
 * registry's CA). Installed as the process's default SSLContext, which the OCI client and the image
 * downloads use; the Kubernetes client keeps the trust its kubeconfig gives.
 */
public final class RegistryTrust {

  private RegistryTrust() {
  }

  /**
   * Makes the JVM's default SSLContext trust {@code caFile}'s certificates too. IllegalArgumentException naming
   * the file when it cannot be read or holds no certificate.
   */
  public static void install(Path caFile) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new javax.net.ssl.TrustManager[] {trustManager(caFile)}, null);
      SSLContext.setDefault(context);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("--registry-ca-file " + caFile + ": " + e.getMessage(), e);
    }
  }

  private static X509TrustManager trustManager(Path caFile) throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> added;
    try (InputStream in = Files.newInputStream(caFile)) {
      added = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    if (added.isEmpty()) {
      throw new GeneralSecurityException("no PEM certificate in the file");
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    List<X509Certificate> all = new ArrayList<>(List.of(jvmTrust().getAcceptedIssuers()));
    added.forEach(c -> all.add((X509Certificate) c));
    for (int i = 0; i < all.size(); i++) {
      store.setCertificateEntry("ca-" + i, all.get(i));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return (X509TrustManager) factory.getTrustManagers()[0];
  }

  private static X509TrustManager jvmTrust() throws GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    return (X509TrustManager) factory.getTrustManagers()[0];
  }
}
