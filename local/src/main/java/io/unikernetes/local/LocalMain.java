package io.unikernetes.local;

import io.unikernetes.local.artifacts.GuestImageServer;
import io.unikernetes.local.controlplane.ControlPlaneBinaries;
import io.unikernetes.local.demo.Demo;
import io.unikernetes.local.environment.LocalEnvironment;
import io.unikernetes.local.environment.LocalState;
import io.unikernetes.local.repository.Repository;
import io.unikernetes.common.startup.StartupFailures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code unikernetes-local demo}: the demo (hack/demo.sh). {@code unikernetes-local serve STATE_DIR}: the local
 * environment in the foreground until SIGTERM, which hack/local-up.sh starts in the background and
 * hack/local-down.sh stops. Stopping deletes every guest first, so no domain outlives the environment.
 */
public final class LocalMain {

  private static final Logger LOG = LoggerFactory.getLogger(LocalMain.class);
  /** The local XenNode. */
  public static final String NODE = "local";
  private static final Duration DELETE_GUESTS_TIMEOUT = Duration.ofMinutes(2);

  private LocalMain() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("demo")) {
      Demo.main(new String[0]);
    } else if (args.length == 2 && args[0].equals("serve")) {
      serve(new LocalState(Path.of(args[1]).toAbsolutePath()));
    } else {
      System.err.println("usage: unikernetes-local demo | serve STATE_DIR   (hack/demo.sh, hack/local-up.sh)");
      System.exit(2);
    }
  }

  private static void serve(LocalState state) throws InterruptedException {
    LocalEnvironment environment;
    try {
      Files.createDirectories(state.dir());
      Files.deleteIfExists(state.readyFile());
      Files.writeString(state.pidFile(), ProcessHandle.current().pid() + "\n");
      deleteTree(state.run());
      Repository repository = Repository.locate();
      Path bin = ControlPlaneBinaries.locate(repository.root());
      environment = LocalEnvironment.start(repository, bin, state.run(), NODE, state.artifacts());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(environment, state), "stop"));
      publish(environment, state, repository, bin);
    } catch (Exception e) {
      LOG.debug("start-up failed", e);
      System.err.println("unikernetes-local: " + StartupFailures.describe(e, "(local)"));
      System.exit(1);
      return;
    }
    LOG.info("local environment up: XenNode {} on {}", NODE, LocalEnvironment.LIBVIRT_URI);
    Thread.currentThread().join();
  }

  /** The kubeconfig, the hello guest and its manifest where the user finds them, then {@code ready}. */
  private static void publish(LocalEnvironment environment, LocalState state, Repository repository, Path bin)
      throws IOException {
    Files.copy(environment.cluster().kubeconfig(), state.kubeconfig(), StandardCopyOption.REPLACE_EXISTING);
    Path hello = repository.helloGuest();
    Files.copy(hello, state.artifacts().resolve(hello.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(state.helloManifest(), repository.example("hello.yaml", Map.of(
        "IMAGE_URL", environment.artifactUrl(hello.getFileName().toString()),
        "IMAGE_SHA256", GuestImageServer.sha256Of(hello))));
    Map<String, String> ready = new LinkedHashMap<>();
    ready.put("PID", Long.toString(ProcessHandle.current().pid()));
    ready.put("KUBECONFIG", state.kubeconfig().toString());
    ready.put("KUBECTL_DIR", bin.toString());
    ready.put("ARTIFACTS_DIR", state.artifacts().toString());
    ready.put("ARTIFACTS_URL", environment.artifactUrl(""));
    ready.put("HELLO_MANIFEST", state.helloManifest().toString());
    state.markReady(ready);
  }

  private static void stop(LocalEnvironment environment, LocalState state) {
    try {
      Files.deleteIfExists(state.readyFile());
      LOG.info("stopping: deleting every guest first");
      if (!environment.deleteGuests(DELETE_GUESTS_TIMEOUT)) {
        LOG.warn("guests still listed after {}; their domains may be left on {}", DELETE_GUESTS_TIMEOUT,
            LocalEnvironment.LIBVIRT_URI);
      }
    } catch (Exception e) {
      LOG.warn("deleting the guests failed", e);
    } finally {
      environment.close();
      try {
        Files.deleteIfExists(state.pidFile());
      } catch (IOException e) {
        LOG.warn("cannot remove {}", state.pidFile(), e);
      }
      LOG.info("local environment stopped");
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
