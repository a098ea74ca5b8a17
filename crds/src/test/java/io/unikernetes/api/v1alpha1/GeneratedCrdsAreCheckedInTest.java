package io.unikernetes.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRD YAML under crds/manifests and the Helm chart's crds/ is what users install; it must be exactly
 * what the generator makes from the model classes, printer columns in declared order ({@link PrinterColumnOrder}).
 * Regenerate with
 * {@code mvn -pl crds test -Dunikernetes.crds.update=true}.
 */
class GeneratedCrdsAreCheckedInTest {

  private static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");
  private static final Path CHECKED_IN = Path.of("manifests");
  /** The Helm chart installs the same CRDs from its crds/ folder. */
  private static final Path CHART = Path.of("../helm/unikernetes/crds");

  @Test
  void checkedInCrdsMatchTheModelClasses() throws IOException {
    assertMatches(CHECKED_IN);
  }

  @Test
  void theHelmChartShipsTheSameCrds() throws IOException {
    assertMatches(CHART);
  }

  private static void assertMatches(Path checkedInDir) throws IOException {
    List<Path> generated = yamlFiles(GENERATED);
    assertThat(generated).extracting(p -> p.getFileName().toString())
        .containsExactlyInAnyOrder("unikernels.unikernetes.io-v1.yml", "xennodes.unikernetes.io-v1.yml",
            "unikerneldeployments.unikernetes.io-v1.yml", "unikernelconsoles.unikernetes.io-v1.yml",
            "unikernelimagepolicies.unikernetes.io-v1.yml");
    boolean update = Boolean.getBoolean("unikernetes.crds.update");
    for (Path file : generated) {
      Path checkedIn = checkedInDir.resolve(file.getFileName());
      String expected = PrinterColumnOrder.reorder(Files.readString(file),
          PrinterColumnOrder.KINDS_BY_FILE.get(file.getFileName().toString()));
      if (update) {
        Files.createDirectories(checkedInDir);
        Files.writeString(checkedIn, expected);
      }
      assertThat(checkedIn).as("%s is missing: run mvn -pl crds test -Dunikernetes.crds.update=true", checkedIn)
          .exists();
      assertThat(Files.readString(checkedIn))
          .as("%s drifted from the model classes: run mvn -pl crds test -Dunikernetes.crds.update=true", checkedIn)
          .isEqualTo(expected);
    }
    assertThat(yamlFiles(checkedInDir)).as("stale CRDs in %s", checkedInDir).hasSameSizeAs(generated);
  }

  private static List<Path> yamlFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
  }
}
