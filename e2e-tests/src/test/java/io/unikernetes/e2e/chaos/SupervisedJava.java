package io.unikernetes.e2e.chaos;

import io.unikernetes.local.process.JvmBoundProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A runnable jar run as its own process and kept running as systemd or a kubelet would: when it exits (it
 * crashed, or the operator gave up leadership and exited), it is started again after a second, unless the
 * test holds it down. {@link #kill()} is SIGKILL: no shutdown hook, no cleanup.
 */
final class SupervisedJava implements AutoCloseable {

  private final String name;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path log;
  private final Thread supervisor;
  private volatile Process process;
  private volatile boolean heldDown;
  private volatile boolean closed;
  private volatile int starts;

  SupervisedJava(String name, Path jar, List<String> args, Map<String, String> environment, Path log) {
    this.name = name;
    this.command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Xmx256m", "-jar", jar.toString()));
    this.command.addAll(args);
    this.environment = environment;
    this.log = log;
    this.supervisor = new Thread(this::supervise, "supervise-" + name);
    this.supervisor.setDaemon(true);
  }

  String name() {
    return name;
  }

  int starts() {
    return starts;
  }

  SupervisedJava start() throws IOException {
    launch();
    supervisor.start();
    return this;
  }

  private synchronized void launch() throws IOException {
    List<String> withEnv = new ArrayList<>(List.of("env"));
    environment.forEach((k, v) -> withEnv.add(k + "=" + v));
    withEnv.addAll(command);
    process = JvmBoundProcess.start(withEnv, log);
    starts++;
  }

  private void supervise() {
    while (!closed) {
      try {
        Thread.sleep(1000);
        if (!closed && !heldDown && !process.isAlive()) {
          launch();
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        System.err.println("cannot restart " + name + ": " + e.getMessage());
      }
    }
  }

  /** SIGKILL, and no restart until {@link #release()}. */
  void kill() throws InterruptedException {
    heldDown = true;
    Process current = process;
    current.descendants().forEach(ProcessHandle::destroyForcibly);
    current.destroyForcibly();
    current.waitFor();
  }

  /** Lets the supervisor start it again (within a second). */
  void release() {
    heldDown = false;
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    supervisor.interrupt();
    Process current = process;
    if (current != null) {
      current.descendants().forEach(ProcessHandle::destroy);
      JvmBoundProcess.stop(current, java.time.Duration.ofSeconds(10));
    }
  }
}
