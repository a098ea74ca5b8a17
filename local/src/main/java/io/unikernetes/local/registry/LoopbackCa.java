package io.unikernetes.local.registry;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1 signed by it, written as PEM files:
 * what a private registry's operator hands out, so the agent's --registry-ca-file is tested over real TLS.
 *
 * @param caFile the CA certificate (what clients trust)
 * @param certificateFile the server certificate for 127.0.0.1 and localhost
 * @param keyFile the server's private key
 * @param serverTls the same key and certificate for a server in this JVM (the registry's token service)
 */
public record LoopbackCa(Path caFile, Path certificateFile, Path keyFile, SSLContext serverTls) {

  /** Creates the CA and the server certificate in {@code directory}, valid for a day. */
  public static LoopbackCa create(Path directory) throws IOException {
    try {
      Files.createDirectories(directory);
      KeyPair ca = ecKeys();
      KeyPair server = ecKeys();
      X500Name caName = new X500Name("CN=Unikernetes test CA");
      Instant now = Instant.now();
      Date from = Date.from(now.minus(Duration.ofMinutes(5)));
      Date until = Date.from(now.plus(Duration.ofDays(1)));
      ContentSigner caSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate());
      X509CertificateHolder caCert = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, from, until, caName,
          ca.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .build(caSigner);
      X509CertificateHolder serverCert = new JcaX509v3CertificateBuilder(caName, BigInteger.TWO, from, until,
          new X500Name("CN=127.0.0.1"), server.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
              new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}))
          .build(caSigner);
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("server", server.getPrivate(), new char[0], new Certificate[] {
          converter.getCertificate(serverCert), converter.getCertificate(caCert)});
      KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, new char[0]);
      SSLContext serverTls = SSLContext.getInstance("TLS");
      serverTls.init(keyManagers.getKeyManagers(), null, null);
      LoopbackCa files = new LoopbackCa(directory.resolve("ca.pem"), directory.resolve("server.pem"),
          directory.resolve("server-key.pem"), serverTls);
      Files.writeString(files.caFile(), pem(caCert));
      Files.writeString(files.certificateFile(), pem(serverCert));
      // PKCS#8, which Go's TLS stack reads (BouncyCastle's writer would give SEC1 with explicit parameters).
      Files.writeString(files.keyFile(), "-----BEGIN PRIVATE KEY-----\n"
          + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
              .encodeToString(server.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
      return files;
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot create the test CA: " + e.getMessage(), e);
    }
  }

  private static KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }
}
