package io.unikernetes.e2e.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU seconds (user + system, from /proc/PID/stat) of this JVM and of the control plane's processes it started
 * (kube-apiserver, etcd): taken before and after a phase, they say which process a ratio's time went to.
 */
record ProcessCpu(Map<String, Double> seconds) {

  private static final double CLOCK_TICKS = 100; // USER_HZ on Linux

  /** This JVM, printed as {@code self}, and its descendants named kube-apiserver or etcd, right now. */
  static ProcessCpu now(String self) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    seconds.put(self, of(ProcessHandle.current().pid()));
    ProcessHandle.current().descendants().forEach(p -> {
      String command = p.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("");
      if (command.equals("kube-apiserver") || command.equals("etcd")) {
        seconds.merge(command, of(p.pid()), Double::sum);
      }
    });
    return new ProcessCpu(seconds);
  }

  /** As {@link #now(String)}, plus process {@code pid} (e.g. a JVM this one started) printed as {@code name}. */
  static ProcessCpu now(String self, String name, long pid) {
    Map<String, Double> seconds = new LinkedHashMap<>(now(self).seconds());
    seconds.put(name, of(pid));
    return new ProcessCpu(seconds);
  }

  /** CPU seconds of {@code pid}, 0 once it is gone. */
  static double of(long pid) {
    try {
      return ticks(pid) / CLOCK_TICKS;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** utime + stime of {@code pid}, in clock ticks (proc(5)). */
  static long ticks(long pid) throws IOException {
    return ProcStat.read(Path.of("/proc/" + pid + "/stat")).cpuTicks();
  }

  /** "name: s" per process for the time since {@code before}. */
  String since(ProcessCpu before) {
    StringBuilder out = new StringBuilder();
    seconds.forEach((name, after) -> out.append(String.format("    %-32s %7.1f s CPU%n", name,
        after - before.seconds.getOrDefault(name, 0.0))));
    return out.toString();
  }
}
