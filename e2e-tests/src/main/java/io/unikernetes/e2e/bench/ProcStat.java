package io.unikernetes.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One process's or thread's /proc/PID/stat (proc(5)): its name (comm), start time (to tell a reused pid) and
 * CPU (utime + stime), in clock ticks.
 */
record ProcStat(String name, long startTicks, long cpuTicks) {

  /**
   * @param stat a /proc/PID/stat or /proc/PID/task/TID/stat file
   * @throws IOException when it cannot be read (the process or thread ended)
   */
  static ProcStat read(Path stat) throws IOException {
    String text = Files.readString(stat);
    String name = text.substring(text.indexOf('(') + 1, text.lastIndexOf(')'));
    // utime, stime and starttime are fields 14, 15 and 22; here counted from the state (field 3) on.
    String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
    return new ProcStat(name, Long.parseLong(fields[19]), Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
  }
}
