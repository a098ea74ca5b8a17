package io.unikernetes.e2e.images;

import static io.unikernetes.e2e.support.Guests.awaitPhase;
import static io.unikernetes.e2e.support.Guests.readyCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.unikernetes.api.v1alpha1.status.Condition;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.agent.UnikernetesAgent;
import io.unikernetes.agent.images.oci.OciLayout;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.spec.DiskSource;
import io.unikernetes.api.v1alpha1.spec.GuestVolume;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.e2e.support.OciPush;
import io.unikernetes.e2e.support.TestEnvironment;
import io.unikernetes.local.registry.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Unikernels from OCI images by digest, against the real CNCF distribution registry over TLS with token
 * authentication (a loopback CA the agent trusts through --registry-ca-file), the real API server and an agent
 * on libvirt's test driver. Images are pushed through the registry's API as KraftKit, urunc and oras lay them
 * out, and once with the oras CLI.
 */
class OciImageIT {

  private static final String NS = "oci-images";
  private static final String NODE = "oci-node";
  private static final Map<String, String> POOL = Map.of("pool", "oci");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String USER = "alice";
  private static final String PASSWORD = "wonderland";
  /**
   * Each test's image differs by this manifest annotation: the agent's cache is content-addressed, so equal
   * manifests pushed to two repositories are one image to it.
   */
  private static final String TITLE = "org.opencontainers.image.title";

  private static TestEnvironment env;
  private static KubernetesClient client;
  private static LocalRegistry registry;
  private static UnikernetesAgent agent;
  private static OciPush push;
  private static Path imageCache;
  private static Path diskDir;
  private static byte[] kernel;

  @BeforeAll
  static void setUp() throws Exception {
    env = TestEnvironment.get();
    client = env.client();
    env.createNamespace(NS);
    registry = LocalRegistry.start(env.repository().root(), env.newWorkDir("registry"), Map.of(USER, PASSWORD));
    AtomicReference<Path> images = new AtomicReference<>();
    AtomicReference<Path> disks = new AtomicReference<>();
    agent = env.startAgent(NODE, "test:///default", 16, POOL, Duration.ofSeconds(10),
        io.unikernetes.agent.network.GuestNetworkConfig.NONE, config -> {
          images.set(config.imageDir());
          disks.set(config.diskDir());
          return config.withRegistryCaFile(registry.caFile());
        });
    imageCache = images.get();
    diskDir = disks.get();
    push = new OciPush(registry, USER, PASSWORD);
    kernel = Files.readAllBytes(env.repository().helloGuest());
  }

  @AfterAll
  static void tearDown() {
    client.resources(Unikernel.class).inNamespace(NS).delete();
    await().atMost(TIMEOUT).until(() -> client.resources(Unikernel.class).inNamespace(NS).list().getItems().isEmpty());
    env.stopAgent(agent, NODE);
    registry.close();
  }

  @Test
  void aPublicImageIsPulledByDigestWithoutCredentialsAndThenServedFromTheCache() {
    String reference = push.push("public/hello", "v1", OciPush.emptyConfig(),
        List.of(new OciPush.Blob(kernel, OciLayout.KERNEL_MEDIA_TYPE, Map.of())), Map.of(TITLE, "public"));
    create("public-first", reference, List.of());
    awaitPhase(client, NS, "public-first", UnikernelPhase.Running, TIMEOUT);
    assertThat(imageCache.resolve(OciPush.sha256(kernel) + ".elf")).hasBinaryContent(kernel);

    int tokens = registry.tokensIssued();
    create("public-second", reference, List.of());
    awaitPhase(client, NS, "public-second", UnikernelPhase.Running, TIMEOUT);
    assertThat(registry.tokensIssued()).as("a cached image is not pulled again").isEqualTo(tokens);
  }

  @Test
  void aKraftKitImageInAPrivateRepositoryBootsWithItsImagePullSecret() {
    byte[] layer = OciPush.tar(Map.of("unikraft/bin/kernel", kernel), false);
    String reference = push.push("team/kraftkit-app", "latest", OciPush.imageConfig(Map.of()),
        List.of(new OciPush.Blob(layer, OciPush.TAR, Map.of(OciLayout.KRAFTKIT_KERNEL, "/unikraft/bin/kernel"))),
        Map.of("org.unikraft.image.name", "kraftkit-app"));
    secret("regcred", Map.of("auth", base64(USER + ":" + PASSWORD)));
    create("kraftkit", reference, List.of("regcred"));
    awaitPhase(client, NS, "kraftkit", UnikernelPhase.Running, TIMEOUT);
  }

  @Test
  void aUruncImageGetsItsKernelAndInitrdFromGzipLayers() {
    byte[] initrd = "a tiny initramfs".getBytes(StandardCharsets.US_ASCII);
    Map<String, byte[]> base = new LinkedHashMap<>();
    base.put("etc/hostname", "urunc".getBytes(StandardCharsets.US_ASCII));
    base.put("unikernel/initrd", initrd);
    String reference = push.push("team/urunc-app", "v2", OciPush.imageConfig(Map.of(
            OciLayout.URUNC_BINARY, "/unikernel/kernel",
            OciLayout.URUNC_INITRD, base64("/unikernel/initrd"),
            "com.urunc.unikernel.unikernelType", "unikraft")),
        List.of(new OciPush.Blob(OciPush.tar(base, true), OciPush.TAR_GZIP, Map.of()),
            new OciPush.Blob(OciPush.tar(Map.of("unikernel/kernel", kernel), true), OciPush.TAR_GZIP, Map.of())),
        Map.of());
    secret("urunc-cred", Map.of("username", USER, "password", PASSWORD));
    create("urunc", reference, List.of("urunc-cred"));
    awaitPhase(client, NS, "urunc", UnikernelPhase.Running, TIMEOUT);
    assertThat(imageCache.resolve(OciPush.sha256(initrd) + ".elf")).hasBinaryContent(initrd);
  }

  @Test
  void aPrivateImageWithoutCredentialsWaitsWithAReasonUntilTheSecretExists() {
    String reference = push.push("team/needs-secret", "v1", OciPush.emptyConfig(),
        List.of(new OciPush.Blob(kernel, OciLayout.KERNEL_MEDIA_TYPE, Map.of())), Map.of(TITLE, "needs-secret"));
    create("needs-secret", reference, List.of("later-cred"));
    awaitReason("needs-secret", "ImageDownloadFailed");
    assertThat(readyCondition(client, NS, "needs-secret").orElseThrow().getMessage())
        .contains("Secret " + NS + "/later-cred (spec.imagePullSecrets) does not exist");

    Unikernel anonymous = create("no-secret", reference, List.of());
    awaitReason("no-secret", "ImagePullUnauthorized");
    assertThat(readyCondition(client, NS, "no-secret").orElseThrow().getMessage())
        .contains("requires credentials for team/needs-secret").contains("spec.imagePullSecrets");
    assertThat(anonymous.getStatus() == null || anonymous.getStatus().getDomainUUID() == null).isTrue();

    secret("later-cred", Map.of("auth", base64(USER + ":" + PASSWORD)));
    awaitPhase(client, NS, "needs-secret", UnikernelPhase.Running, TIMEOUT);
  }

  @Test
  void wrongCredentialsAreRefusedWithTheSecretNamed() {
    String reference = push.push("team/wrong-cred", "v1", OciPush.emptyConfig(),
        List.of(new OciPush.Blob(kernel, OciLayout.KERNEL_MEDIA_TYPE, Map.of())), Map.of(TITLE, "wrong-cred"));
    secret("bad-cred", Map.of("username", USER, "password", "not-the-password"));
    create("wrong-cred", reference, List.of("bad-cred"));
    awaitReason("wrong-cred", "ImagePullUnauthorized");
    assertThat(readyCondition(client, NS, "wrong-cred").orElseThrow().getMessage())
        .contains("refused the credentials of " + USER + " from Secret " + NS + "/bad-cred");
    assertThat(Guests.phase(client, NS, "wrong-cred")).isEqualTo(UnikernelPhase.Booting);
  }

  @Test
  void aBlobWhoseContentIsNotItsDigestFailsTheGuestWithoutADomain() throws Exception {
    // A kernel of its own (trailing bytes do not stop it booting): the cache holds the plain one already.
    byte[] original = java.util.Arrays.copyOf(kernel, kernel.length + 16);
    String reference = push.push("public/tampered", "v1", OciPush.emptyConfig(),
        List.of(new OciPush.Blob(original, OciLayout.KERNEL_MEDIA_TYPE, Map.of())), Map.of());
    byte[] tampered = original.clone();
    tampered[tampered.length - 1] ^= 0x5a; // the registry now serves other bytes under the same digest
    Files.write(registry.blobData("sha256:" + OciPush.sha256(original)), tampered);

    create("tampered", reference, List.of());
    awaitReason("tampered", "ImageDigestMismatch");
    Unikernel failed = awaitPhase(client, NS, "tampered", UnikernelPhase.Failed, TIMEOUT);
    Condition ready = readyCondition(client, NS, "tampered").orElseThrow();
    assertThat(ready.getReason()).isEqualTo("ImageDigestMismatch");
    assertThat(ready.getMessage()).contains(OciPush.sha256(original));
    assertThat(failed.getStatus().getDomainUUID()).isNull();
    assertThat(imageCache.resolve(OciPush.sha256(tampered) + ".elf")).doesNotExist();
    try (var partials = Files.newDirectoryStream(imageCache, "*.partial")) {
      assertThat(partials).isEmpty();
    }
  }

  @Test
  void anImagePushedWithTheOrasCliBoots() throws Exception {
    Path work = env.newWorkDir("oras-push");
    Files.write(work.resolve("kernel.elf"), kernel);
    String target = registry.host() + "/team/oras-cli:v1";
    // As a user would: oras push from the directory holding the file, then resolve the tag to its digest.
    oras(work, "push", "--ca-file", registry.caFile().toString(), "-u", USER, "-p", PASSWORD, "--artifact-type",
        "application/vnd.unikernetes.image.v1", target, "kernel.elf:" + OciLayout.KERNEL_MEDIA_TYPE);
    String digest = oras(work, "resolve", "--ca-file", registry.caFile().toString(), "-u", USER, "-p", PASSWORD,
        target).trim();
    assertThat(digest).matches("sha256:[0-9a-f]{64}");

    secret("oras-cred", Map.of("auth", base64(USER + ":" + PASSWORD)));
    create("oras-cli", registry.host() + "/team/oras-cli@" + digest, List.of("oras-cred"));
    awaitPhase(client, NS, "oras-cli", UnikernelPhase.Running, TIMEOUT);
  }

  /**
   * A 10 MiB raw disk as a layer of the guest's own image: the guest gets a qcow2 overlay backed by the pulled
   * blob, and a blank disk. Then the issue's figures: apply -> Running for a 1 MiB kernel + 10 MiB disk, pulled
   * cold (five images) and warm (cached), on the test driver (no boot: the pull, the disk files, the domain).
   */
  @Test
  void aDiskLayerOfTheGuestsImageBacksItsOverlay() throws Exception {
    String reference = pushKernelAndDisk("disk-0");
    Unikernel guest = Guests.guest(NS, "disk-guest", ImageSource.oci(reference), "32Mi", POOL);
    guest.getSpec().setVolumes(List.of(GuestVolume.image("root", DiskSource.oci(reference), false),
        GuestVolume.emptyDisk("scratch", "16Mi")));
    Unikernel created = client.resource(guest).create();
    awaitPhase(client, NS, "disk-guest", UnikernelPhase.Running, TIMEOUT);

    Path cachedDisk = imageCache.resolve(OciPush.sha256(disk("disk-0")) + ".elf");
    assertThat(cachedDisk).hasSize(10 << 20);
    Path overlay = diskDir.resolve(created.getMetadata().getUid()).resolve("root.qcow2");
    assertThat(Files.readString(overlay, StandardCharsets.ISO_8859_1)).startsWith("QFI").contains(cachedDisk.toString());
    assertThat(diskDir.resolve(created.getMetadata().getUid()).resolve("scratch.raw")).hasSize(16 << 20);

    List<Long> cold = new java.util.ArrayList<>();
    List<Long> warm = new java.util.ArrayList<>();
    for (int run = 1; run <= 5; run++) {
      String image = pushKernelAndDisk("disk-" + run);
      assertThat(imageCache.resolve(OciPush.sha256(disk("disk-" + run)) + ".elf")).as("cold").doesNotExist();
      cold.add(applyToRunningMillis("cold-" + run, image));
      warm.add(applyToRunningMillis("warm-" + run, image));
    }
    System.out.printf("[oci-images] apply -> Running, 1 MiB kernel + 10 MiB disk from the local registry (test "
        + "driver): cold %s ms, p50 %d ms; warm %s ms, p50 %d ms%n", cold, Guests.median(cold), warm,
        Guests.median(warm));
    assertThat(cold).hasSize(5);
    assertThat(imageCache.resolve(OciPush.sha256(disk("disk-5")) + ".elf")).hasSize(10 << 20);
  }

  /**
   * A 1 MiB kernel (the hello guest, padded) and a 10 MiB raw disk starting with {@code label}, pushed with the oras
   * CLI as a user publishes them; returns the reference by digest.
   */
  private static String pushKernelAndDisk(String label) throws Exception {
    Path work = env.newWorkDir("oras-" + label);
    byte[] paddedKernel = java.util.Arrays.copyOf(kernel, 1 << 20);
    byte[] mark = label.getBytes(StandardCharsets.US_ASCII); // a kernel of its own: a cold pull fetches both files
    System.arraycopy(mark, 0, paddedKernel, paddedKernel.length - mark.length, mark.length);
    Files.write(work.resolve("kernel.elf"), paddedKernel);
    Files.write(work.resolve("disk.img"), disk(label));
    String target = registry.host() + "/public/with-disk:" + label;
    oras(work, "push", "--ca-file", registry.caFile().toString(), "-u", USER, "-p", PASSWORD, target,
        "kernel.elf:" + OciLayout.KERNEL_MEDIA_TYPE, "disk.img:" + OciLayout.DISK_MEDIA_TYPE);
    String digest = oras(work, "resolve", "--ca-file", registry.caFile().toString(), "-u", USER, "-p", PASSWORD,
        target).trim();
    return registry.host() + "/public/with-disk@" + digest;
  }

  private static byte[] disk(String label) {
    byte[] disk = new byte[10 << 20];
    byte[] text = label.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(text, 0, disk, 0, text.length);
    return disk;
  }

  private static long applyToRunningMillis(String name, String reference) throws Exception {
    Unikernel guest = Guests.guest(NS, name, ImageSource.oci(reference), "32Mi", POOL);
    guest.getSpec().setVolumes(List.of(GuestVolume.image("root", DiskSource.oci(reference), false)));
    long start = System.nanoTime();
    client.resource(guest).create();
    awaitPhase(client, NS, name, UnikernelPhase.Running, TIMEOUT);
    long millis = java.time.Duration.ofNanos(System.nanoTime() - start).toMillis();
    client.resource(guest).delete();
    return millis;
  }

  private static String oras(Path directory, String... arguments) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(registry.oras().toString()));
    command.addAll(List.of(arguments));
    Path output = directory.resolve("oras.out");
    Path errors = directory.resolve("oras.err");
    Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectError(errors.toFile())
        .redirectOutput(output.toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("oras %s finished", arguments[0]).isTrue();
    assertThat(process.exitValue()).as(Files.readString(output) + Files.readString(errors)).isZero();
    return Files.readString(output);
  }

  private static Unikernel create(String name, String reference, List<String> pullSecrets) {
    Unikernel guest = Guests.guest(NS, name, ImageSource.oci(reference), "32Mi", POOL);
    guest.getSpec().setImagePullSecrets(pullSecrets.stream().map(LocalObjectReference::new).toList());
    return client.resource(guest).create();
  }

  private static void awaitReason(String name, String reason) {
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(readyCondition(client, NS, name))
        .as("the Ready condition of %s", name).hasValueSatisfying(c -> assertThat(c.getReason())
            .as(c.getMessage()).isEqualTo(reason)));
  }

  /** A kubernetes.io/dockerconfigjson Secret with one entry, for the registry, holding {@code auth}. */
  private static void secret(String name, Map<String, String> auth) {
    String config = "{\"auths\":{\"" + registry.host() + "\":" + new com.fasterxml.jackson.databind.ObjectMapper()
        .valueToTree(auth) + "}}";
    Secret secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withType("kubernetes.io/dockerconfigjson")
        .withData(Map.of(".dockerconfigjson", base64(config))).build();
    client.resource(secret).create();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
