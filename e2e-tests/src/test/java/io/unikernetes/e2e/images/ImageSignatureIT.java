package io.unikernetes.e2e.images;

import static io.unikernetes.e2e.support.Guests.awaitPhase;
import static io.unikernetes.e2e.support.Guests.readyCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.agent.UnikernetesAgent;
import io.unikernetes.agent.images.oci.OciLayout;
import io.unikernetes.agent.network.GuestNetworkConfig;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.UnikernelImagePolicy;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.spec.UnikernelImagePolicySpec;
import io.unikernetes.api.v1alpha1.status.Condition;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.e2e.support.OciPush;
import io.unikernetes.e2e.support.TestEnvironment;
import io.unikernetes.local.registry.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signed images: keys made and images signed with the real cosign CLI (a key pair from generate-key-pair,
 * signatures with --key and --tlog-upload=false, which talk to the loopback registry only), pushed to the real
 * distribution registry, and UnikernelImagePolicies through the real API server; the agent on libvirt's test
 * driver verifies before it uses a layer.
 */
class ImageSignatureIT {

  private static final String NS = "signed-images";
  private static final String NODE = "signature-node";
  private static final Map<String, String> POOL = Map.of("pool", "signatures");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String USER = "signer";
  private static final String PASSWORD = "keys-and-locks";
  private static final String TITLE = "org.opencontainers.image.title";

  private static TestEnvironment env;
  private static KubernetesClient client;
  private static LocalRegistry registry;
  private static UnikernetesAgent agent;
  private static OciPush push;
  private static Path work;
  private static byte[] kernel;

  @BeforeAll
  static void setUp() throws Exception {
    env = TestEnvironment.get();
    client = env.client();
    env.createNamespace(NS);
    registry = LocalRegistry.start(env.repository().root(), env.newWorkDir("signature-registry"),
        Map.of(USER, PASSWORD));
    agent = env.startAgent(NODE, "test:///default", 16, POOL, Duration.ofSeconds(10), GuestNetworkConfig.NONE,
        config -> config.withRegistryCaFile(registry.caFile()));
    push = new OciPush(registry, USER, PASSWORD);
    kernel = Files.readAllBytes(env.repository().helloGuest());
    work = env.newWorkDir("cosign");
    cosign("generate-key-pair", "--output-key-prefix", "trusted");
    cosign("generate-key-pair", "--output-key-prefix", "stranger");
  }

  @AfterEach
  void removePolicies() {
    client.resources(UnikernelImagePolicy.class).delete();
  }

  @AfterAll
  static void tearDown() {
    client.resources(Unikernel.class).inNamespace(NS).delete();
    await().atMost(TIMEOUT).until(() -> client.resources(Unikernel.class).inNamespace(NS).list().getItems().isEmpty());
    env.stopAgent(agent, NODE);
    registry.close();
  }

  @Test
  void anImageSignedWithAPolicysKeyBootsAndOneWithoutASignatureNeverGetsADomain() throws Exception {
    policy("team-signed", registry.host() + "/public/signed/**", "trusted.pub");
    String signed = image("public/signed/app", "signed");
    cosign("sign", "--key", "trusted.key", signed);
    String unsigned = image("public/signed/other", "unsigned");

    Instant start = Instant.now();
    create("signed", signed);
    awaitPhase(client, NS, "signed", UnikernelPhase.Running, TIMEOUT);
    System.out.printf("[signatures] signed image: apply -> Running %d ms (pull, one signature verified)%n",
        Duration.between(start, Instant.now()).toMillis());
    String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + agent.httpPort() + "/metrics")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    String verification = metrics.lines().filter(l -> l.startsWith("unikernetes_image_signature_verification_seconds_"))
        .collect(java.util.stream.Collectors.joining("; "));
    // The count includes the images this class's other tests verified before this one.
    assertThat(verification).containsPattern("unikernetes_image_signature_verification_seconds_count [1-9]");
    System.out.println("[signatures] signature verifications (this agent's metrics): " + verification);

    create("unsigned", unsigned);
    Unikernel failed = awaitPhase(client, NS, "unsigned", UnikernelPhase.Failed, TIMEOUT);
    Condition ready = readyCondition(client, NS, "unsigned").orElseThrow();
    assertThat(ready.getReason()).isEqualTo("ImageSignatureInvalid");
    assertThat(ready.getMessage()).contains("has no cosign signature").contains("team-signed");
    assertThat(failed.getStatus().getDomainUUID()).isNull();
  }

  @Test
  void aSignatureByAnotherKeyIsRefusedNamingThePolicy() throws Exception {
    policy("release-key", registry.host() + "/public/release/*", "trusted.pub");
    String reference = image("public/release/app", "stranger-signed");
    cosign("sign", "--key", "stranger.key", reference);
    create("stranger", reference);
    awaitPhase(client, NS, "stranger", UnikernelPhase.Failed, TIMEOUT);
    Condition ready = readyCondition(client, NS, "stranger").orElseThrow();
    assertThat(ready.getReason()).isEqualTo("ImageSignatureInvalid");
    assertThat(ready.getMessage()).contains("is not signed by a key of UnikernelImagePolicy release-key");
  }

  @Test
  void imagesNoPolicyCoversNeedNoSignature() throws Exception {
    policy("only-release", registry.host() + "/public/release/*", "trusted.pub");
    create("uncovered", image("public/elsewhere/app", "uncovered"));
    awaitPhase(client, NS, "uncovered", UnikernelPhase.Running, TIMEOUT);
  }

  @Test
  void aPolicyAddedAfterAnImageWasCachedStillStopsItsNextGuest() throws Exception {
    String reference = image("public/later/app", "cached-before-policy");
    create("before-policy", reference);
    awaitPhase(client, NS, "before-policy", UnikernelPhase.Running, TIMEOUT);

    policy("later", registry.host() + "/public/later/**", "trusted.pub");
    create("after-policy", reference);
    awaitPhase(client, NS, "after-policy", UnikernelPhase.Failed, TIMEOUT);
    assertThat(readyCondition(client, NS, "after-policy").orElseThrow().getReason())
        .isEqualTo("ImageSignatureInvalid");

    cosign("sign", "--key", "trusted.key", reference);
    create("after-signing", reference);
    awaitPhase(client, NS, "after-signing", UnikernelPhase.Running, TIMEOUT);
  }

  /** A distinct image (the title annotation differs) of the hello kernel; returns its pinned reference. */
  private static String image(String repository, String title) {
    return push.push(repository, "v1", OciPush.emptyConfig(),
        List.of(new OciPush.Blob(kernel, OciLayout.KERNEL_MEDIA_TYPE, Map.of())), Map.of(TITLE, title));
  }

  private static void policy(String name, String glob, String publicKeyFile) throws Exception {
    UnikernelImagePolicySpec.Key key = new UnikernelImagePolicySpec.Key();
    key.setData(Files.readString(work.resolve(publicKeyFile)));
    UnikernelImagePolicySpec.Authority authority = new UnikernelImagePolicySpec.Authority();
    authority.setName(publicKeyFile);
    authority.setKey(key);
    UnikernelImagePolicy policy = new UnikernelImagePolicy();
    policy.getMetadata().setName(name);
    policy.getSpec().setImages(List.of(new UnikernelImagePolicySpec.ImageGlob(glob)));
    policy.getSpec().setAuthorities(List.of(authority));
    client.resource(policy).create();
  }

  private static void create(String name, String reference) {
    client.resource(Guests.guest(NS, name, ImageSource.oci(reference), "32Mi", POOL)).create();
  }

  /** Runs cosign in the work directory, its home there too, trusting the registry's CA. */
  private static void cosign(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(registry.cosign().toString()));
    command.addAll(List.of(arguments));
    if (arguments[0].equals("sign")) {
      command.addAll(List.of("--tlog-upload=false", "--yes", "--registry-cacert", registry.caFile().toString(),
          "--registry-username", USER, "--registry-password", PASSWORD));
    }
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(work.resolve("cosign.out").toFile());
    builder.environment().put("HOME", work.toString());
    builder.environment().put("COSIGN_PASSWORD", "test-only");
    builder.environment().put("SSL_CERT_FILE", registry.caFile().toString());
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("cosign %s finished", arguments[0]).isTrue();
    assertThat(process.exitValue()).as(Files.readString(work.resolve("cosign.out"))).isZero();
  }
}
