package io.unikernetes.local.repository;

import io.unikernetes.api.v1alpha1.spec.ImageSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Files of this repository the tests and the demo use: CRDs, the built hello guest, example manifests. */
public record Repository(Path root) {

  /** The repository root, from -Dunikernetes.repo or by walking up from the working directory. */
  public static Repository locate() {
    String configured = System.getProperty("unikernetes.repo");
    Path dir = Path.of(configured == null ? "" : configured).toAbsolutePath().normalize();
    for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
      if (Files.isDirectory(candidate.resolve("crds/manifests")) && Files.isDirectory(candidate.resolve("hack"))) {
        return new Repository(candidate);
      }
    }
    throw new IllegalStateException("cannot find the Unikernetes repository above " + dir);
  }

  public Path crdManifests() {
    return root.resolve("crds/manifests");
  }

  /** The hello guest's PVH image (QEMU and Xen PVH), built by the guests module (mvn package). */
  public Path helloGuest() {
    return built("hello-pvh.elf");
  }

  /** The hello guest's Xen PV image. */
  public Path helloPvGuest() {
    return built("hello-pv.elf");
  }

  private Path built(String image) {
    Path guest = root.resolve("guests/target/hello").resolve(image);
    if (!Files.isRegularFile(guest)) {
      throw new IllegalStateException(guest + " is missing: build it with mvn -pl guests package");
    }
    return guest;
  }

  /** The xen-agent's runnable jar, built by mvn package. */
  public Path agentJar() throws IOException {
    return runnableJar("xen-agent");
  }

  /** The operator's runnable jar, built by mvn package. */
  public Path operatorJar() throws IOException {
    return runnableJar("operator");
  }

  private Path runnableJar(String module) throws IOException {
    try (var files = Files.list(root.resolve(module + "/target"))) {
      return files.filter(p -> p.getFileName().toString().endsWith("-runnable.jar")).findFirst()
          .orElseThrow(() -> new IOException(module + "/target has no runnable jar: run mvn package first"));
    }
  }

  /** The kubectl plugin, one executable file, built by mvn package (kubectl-plugin module). */
  public Path kubectlPlugin() {
    Path plugin = root.resolve("kubectl-plugin/target/kubectl-unikernetes");
    if (!Files.isExecutable(plugin)) {
      throw new IllegalStateException(plugin + " is missing: build it with mvn -pl kubectl-plugin package");
    }
    return plugin;
  }

  /** An example manifest with its guest image (${IMAGE_URL}, ${IMAGE_SHA256}) filled in. */
  public String example(String fileName, ImageSource image) throws IOException {
    return example(fileName, Map.of("IMAGE_URL", image.getUrl(), "IMAGE_SHA256", image.getSha256()));
  }

  /** An example manifest with ${NAME} placeholders filled in. */
  public String example(String fileName, Map<String, String> values) throws IOException {
    String text = Files.readString(root.resolve("examples").resolve(fileName));
    for (var entry : values.entrySet()) {
      text = text.replace("${" + entry.getKey() + "}", entry.getValue());
    }
    return text;
  }
}
