package io.unikernetes.local.registry;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The token service of the Docker registry token protocol (distribution's docs, "Token Authentication
 * Specification"), for a loopback test registry: checks Basic credentials against {@code users}, grants a
 * known user pull and push on every repository and an anonymous caller pull on repositories under
 * {@code public/}, and returns an ES256 JWT the registry verifies with {@link #jwks()}. A wrong password is
 * refused with 401, as real token services do.
 */
public final class RegistryTokenServer implements AutoCloseable {

  public static final String ISSUER = "unikernetes-test-token-issuer";
  public static final String KEY_ID = "unikernetes-test";

  private final HttpsServer server;
  private final ECKey key;
  private final Map<String, String> users;
  private final String service;
  private final AtomicInteger issued = new AtomicInteger();

  private RegistryTokenServer(HttpsServer server, ECKey key, Map<String, String> users, String service) {
    this.server = server;
    this.key = key;
    this.users = Map.copyOf(users);
    this.service = service;
  }

  /** Starts on a free loopback port, over https with {@code tls} (clients refuse a plain-http realm). */
  public static RegistryTokenServer start(Map<String, String> users, String service, SSLContext tls)
      throws IOException {
    ECKey key;
    try {
      key = new ECKeyGenerator(Curve.P_256).keyID(KEY_ID).generate();
    } catch (JOSEException e) {
      throw new IOException(e);
    }
    HttpsServer http = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.setHttpsConfigurator(new HttpsConfigurator(tls));
    RegistryTokenServer tokens = new RegistryTokenServer(http, key, users, service);
    http.createContext("/token", tokens::token);
    http.start();
    return tokens;
  }

  /** The realm the registry sends clients to. */
  public String realm() {
    return "https://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  /** The public key set the registry trusts, as JSON. */
  public String jwks() {
    return new JWKSet(key.toPublicJWK()).toString();
  }

  /** Tokens handed out so far. */
  public int issued() {
    return issued.get();
  }

  private void token(HttpExchange exchange) throws IOException {
    try (exchange) {
      String user = user(exchange.getRequestHeaders().getFirst("Authorization"));
      if (user == null) {
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      List<Map<String, Object>> access = new ArrayList<>();
      for (String scope : query(exchange, "scope")) {
        String[] parts = scope.split(":"); // repository:team/app:pull,push
        if (parts.length != 3 || !parts[0].equals("repository")) {
          continue;
        }
        boolean anonymous = user.isEmpty();
        if (anonymous && !parts[1].startsWith("public/")) {
          continue; // no grant: the registry answers the request with 401
        }
        List<String> actions = anonymous ? List.of("pull") : List.of(parts[2].split(","));
        access.add(Map.of("type", "repository", "name", parts[1], "actions", actions));
      }
      Instant now = Instant.now();
      JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject(user).audience(service)
          .issueTime(Date.from(now)).notBeforeTime(Date.from(now.minusSeconds(60)))
          .expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString())
          .claim("access", access).build();
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(KEY_ID).build(), claims);
      jwt.sign(new ECDSASigner(key));
      String token = jwt.serialize();
      byte[] body = ("{\"token\":\"" + token + "\",\"access_token\":\"" + token + "\",\"expires_in\":300}")
          .getBytes(StandardCharsets.UTF_8);
      issued.incrementAndGet();
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    } catch (JOSEException e) {
      throw new IOException(e);
    }
  }

  /** The authenticated user, "" for an anonymous caller, null for wrong credentials. */
  private String user(String authorization) {
    if (authorization == null || !authorization.startsWith("Basic ")) {
      return "";
    }
    String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
    int colon = pair.indexOf(':');
    String name = colon < 0 ? pair : pair.substring(0, colon);
    String password = colon < 0 ? "" : pair.substring(colon + 1);
    return password.equals(users.get(name)) ? name : null;
  }

  private static List<String> query(HttpExchange exchange, String name) {
    List<String> values = new ArrayList<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null) {
      return values;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
        values.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return values;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
