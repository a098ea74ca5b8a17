package io.unikernetes.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The whole host's CPU time from the first line of /proc/stat (proc(5)), in clock ticks: busy (all but idle and
 * iowait) and all. Taken before and after a phase it says how much of the machine the phase used, which tells a
 * phase bound by the host's CPUs (every process on it, guests included) from one that waits.
 */
record HostCpu(long busyTicks, long allTicks) {

  private static final double CLOCK_TICKS = 100; // USER_HZ on Linux

  static HostCpu now() {
    try {
      String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long all = 0;
      for (int i = 1; i < fields.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
        all += Long.parseLong(fields[i]);
      }
      long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
      return new HostCpu(all - idle, all);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/stat: " + e.getMessage(), e);
    }
  }

  /** "B core-s busy of the host's C in W s (P %)" for the time since {@code before}, over {@code wall}. */
  String since(HostCpu before, Duration wall) {
    double busy = (busyTicks - before.busyTicks) / CLOCK_TICKS;
    double all = (allTicks - before.allTicks) / CLOCK_TICKS;
    return String.format("%.1f core-s busy of %.1f in %.1f s (%.0f %%)", busy, all, wall.toMillis() / 1000.0,
        all == 0 ? 0 : 100 * busy / all);
  }
}
