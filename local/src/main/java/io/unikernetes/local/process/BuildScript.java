package io.unikernetes.local.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs one of hack/'s build-once scripts, which log to stderr and print where their result is as last line. */
public final class BuildScript {

  private BuildScript() {
  }

  /** Runs the script (its log goes to this process's stderr) and returns the path it printed. */
  public static Path run(Path script) throws IOException, InterruptedException {
    Process build = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (build.waitFor() != 0) {
      throw new IOException(script.getFileName() + " failed (exit " + build.exitValue() + "); its log is above");
    }
    return Path.of(out.lines().reduce((a, b) -> b).orElse(""));
  }
}
