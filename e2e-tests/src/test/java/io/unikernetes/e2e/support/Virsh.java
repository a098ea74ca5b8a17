package io.unikernetes.e2e.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The real virsh, to check what libvirt holds independently of the agent. */
public final class Virsh {

  private final String uri;

  public Virsh(String uri) {
    this.uri = uri;
  }

  public String run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("virsh", "-c", uri));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    process.waitFor();
    return out;
  }

  public List<String> allDomainNames() throws IOException, InterruptedException {
    return run("list", "--all", "--name").lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
  }
}
