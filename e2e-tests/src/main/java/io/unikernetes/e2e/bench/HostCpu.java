package io.unikernetes.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The whole host's CPU time from the first line of /proc/stat (proc(5)), in clock ticks: busy (all but idle and
 * iowait) and all; and each process's, from /proc/PID/stat. Taken before and after a phase it says how much of
 * the machine the phase used, which tells a phase bound by the host's CPUs (every process on it, guests
 * included) from one that waits, and which programs used it.
 */
record HostCpu(long busyTicks, long allTicks, Map<Long, ProcStat> processes) {

  private static final double CLOCK_TICKS = 100; // USER_HZ on Linux
  private static final int PROGRAMS_SHOWN = 8;

  static HostCpu now() {
    try {
      String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long all = 0;
      for (int i = 1; i < fields.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
        all += Long.parseLong(fields[i]);
      }
      long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
      return new HostCpu(all - idle, all, readProcesses());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/stat: " + e.getMessage(), e);
    }
  }

  private static Map<Long, ProcStat> readProcesses() throws IOException {
    Map<Long, ProcStat> processes = new HashMap<>();
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
        try {
          processes.put(Long.parseLong(p.getFileName().toString()), ProcStat.read(p.resolve("stat")));
        } catch (IOException | RuntimeException gone) {
          // ended meanwhile
        }
      });
    }
    return processes;
  }

  /** "B core-s busy of the host's C in W s (P %)" for the time since {@code before}, over {@code wall}. */
  String since(HostCpu before, Duration wall) {
    double busy = (busyTicks - before.busyTicks) / CLOCK_TICKS;
    double all = (allTicks - before.allTicks) / CLOCK_TICKS;
    return String.format("%.1f core-s busy of %.1f in %.1f s (%.0f %%)", busy, all, wall.toMillis() / 1000.0,
        all == 0 ? 0 : 100 * busy / all);
  }

  /**
   * The programs that used most CPU since {@code before}, one line each with {@code indent}: name, CPU seconds
   * and how many processes of that name ran. A process that started meanwhile counts whole; one that ended
   * meanwhile is missing (the line of the whole host has it).
   */
  String programsSince(HostCpu before, String indent) {
    Map<String, long[]> byName = new TreeMap<>(); // name -> {ticks, processes}
    processes.forEach((pid, after) -> {
      ProcStat earlier = before.processes.get(pid);
      long ticks = earlier != null && earlier.startTicks() == after.startTicks()
          ? after.cpuTicks() - earlier.cpuTicks() : after.cpuTicks();
      if (ticks > 0) {
        long[] sum = byName.computeIfAbsent(after.name(), n -> new long[2]);
        sum[0] += ticks;
        sum[1]++;
      }
    });
    StringBuilder out = new StringBuilder();
    byName.entrySet().stream().sorted(Comparator.comparingLong(e -> -e.getValue()[0])).limit(PROGRAMS_SHOWN)
        .forEach(e -> out.append(String.format("%s%-24s %7.1f s CPU (%d process%s)%n", indent, e.getKey(),
            e.getValue()[0] / CLOCK_TICKS, e.getValue()[1], e.getValue()[1] == 1 ? "" : "es")));
    return out.toString();
  }
}
