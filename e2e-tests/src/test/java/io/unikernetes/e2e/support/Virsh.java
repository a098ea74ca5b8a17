package io.unikernetes.e2e.support;

import io.unikernetes.local.process.CommandResult;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real virsh, to check what libvirt holds independently of the agent. */
public final class Virsh {

  private final String uri;

  public Virsh(String uri) {
    this.uri = uri;
  }

  /** virsh's output, trimmed (errors included: a test compares it with what it expects). */
  public String run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("virsh", "-c", uri));
    command.addAll(List.of(args));
    return CommandResult.run(command, Map.of(), null).output().trim();
  }

  public List<String> allDomainNames() throws IOException, InterruptedException {
    return run("list", "--all", "--name").lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
  }
}
