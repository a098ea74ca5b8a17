package io.unikernetes.agent.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.unikernetes.agent.testing.MovableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleWatcherTest {

  @TempDir
  Path dir;
  private final MovableClock clock = new MovableClock();
  private final ConsoleWatcher watcher = new ConsoleWatcher(clock);

  private void tick(Duration after) {
    clock.advance(after);
    watcher.poll();
  }

  private static void append(Path log, String text) throws IOException {
    Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Test
  void seesTheFirstLineWhenItIsWrittenAndMeasuresTheBootFromTheStart() throws IOException {
    Path log = dir.resolve("a.log"); // absent until the hypervisor starts the domain
    watcher.watch("uid-a", new ResourceID("a", "ns"), log, clock.instant());
    tick(Duration.ZERO);
    assertThat(watcher.output("uid-a")).isEmpty();

    append(log, "hello from the guest\n");
    tick(Duration.ofMillis(50));
    assertThat(watcher.output("uid-a").orElseThrow().head()).isEqualTo("hello from the guest\n");
    assertThat(watcher.output("uid-a").orElseThrow().firstLineAfter()).contains(Duration.ofMillis(50));

    append(log, "serving\n");
    tick(Duration.ofMillis(50));
    assertThat(watcher.output("uid-a").orElseThrow().head()).endsWith("serving\n");
    assertThat(watcher.output("uid-a").orElseThrow().firstLineAfter()).contains(Duration.ofMillis(50));
  }

  @Test
  void looksLessOftenAsTheGuestAgesAndStopsAfterTwoMinutes() throws IOException {
    Path log = dir.resolve("b.log");
    Instant start = clock.instant();
    watcher.watch("uid-b", new ResourceID("b", "ns"), log, start);
    tick(Duration.ofSeconds(40)); // looks now, next due 2 s later
    append(log, "late\n");
    tick(Duration.ofSeconds(1));
    assertThat(watcher.output("uid-b")).as("not due yet").isEmpty();
    tick(Duration.ofSeconds(1));
    assertThat(watcher.output("uid-b").orElseThrow().head()).isEqualTo("late\n");

    clock.set(start.plus(Duration.ofSeconds(121)));
    watcher.poll();
    append(log, "too late\n");
    tick(Duration.ofSeconds(5));
    assertThat(watcher.output("uid-b").orElseThrow().head()).isEqualTo("late\n");
  }

  @Test
  void aRestartWatchesAfreshAndForgetEndsIt() throws IOException {
    Path log = dir.resolve("c.log");
    watcher.watch("uid-c", new ResourceID("c", "ns"), log, clock.instant());
    append(log, "first boot\n");
    tick(Duration.ofMillis(50));
    assertThat(watcher.output("uid-c")).isPresent();

    Files.delete(log); // a restart: a new console
    watcher.watch("uid-c", new ResourceID("c", "ns"), log, clock.instant());
    assertThat(watcher.output("uid-c")).isEmpty();
    append(log, "second boot\n");
    tick(Duration.ofMillis(50));
    assertThat(watcher.output("uid-c").orElseThrow().head()).isEqualTo("second boot\n");

    watcher.forget("uid-c");
    append(log, "more\n");
    tick(Duration.ofMillis(50));
    assertThat(watcher.output("uid-c")).isEmpty();
  }

  @Test
  void looksFallOnTheFiftyMillisecondGrid() {
    Instant start = Instant.parse("2026-11-30T10:00:00Z");
    assertThat(ConsoleWatcher.next(start.plusMillis(7), Duration.ofMillis(50))).isEqualTo(start.plusMillis(100));
    assertThat(ConsoleWatcher.next(start, Duration.ofMillis(50))).isEqualTo(start.plusMillis(50));
    assertThat(ConsoleWatcher.next(start.plusMillis(1), Duration.ofSeconds(2))).isEqualTo(start.plusMillis(2050));
  }

  @Test
  void theWatcherThreadSeesOutputByItself() throws Exception {
    ConsoleWatcher live = new ConsoleWatcher(java.time.Clock.systemUTC());
    live.start();
    try {
      Path log = dir.resolve("d.log");
      live.watch("uid-d", new ResourceID("d", "ns"), log, Instant.now());
      append(log, "up\n");
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
          .until(() -> live.output("uid-d").map(ConsoleWatcher.Output::head).orElse("").equals("up\n"));
    } finally {
      live.stop();
    }
  }

  @Test
  void aLateWakeUpDoesNotStretchTheNextLook() throws IOException {
    Path log = dir.resolve("e.log");
    watcher.watch("uid-e", new ResourceID("e", "ns"), log, clock.instant());
    tick(Duration.ZERO); // next look due at +50 ms
    tick(Duration.ofMillis(53)); // taken 3 ms late: the next is still due at +100 ms, not +150 ms
    append(log, "on time\n");
    tick(Duration.ofMillis(47));
    assertThat(watcher.output("uid-e").orElseThrow().head()).isEqualTo("on time\n");
  }
}
