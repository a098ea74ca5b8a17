package io.unikernetes.kubectl;

import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kubectl unikernetes}: what kubectl does for Pods that it cannot do for Unikernels, as a kubectl plugin
 * (an executable named kubectl-unikernetes on PATH). Exit codes: 0 done, 1 failed (kubectl's "error:" or "Error
 * from server" line on standard error), 2 bad usage.
 */
@Command(name = "kubectl unikernetes", mixinStandardHelpOptions = true, version = "kubectl-unikernetes 0.1.0",
    description = "Unikernetes for kubectl: a guest's console, and booting a local kernel file.",
    subcommands = {LogsCommand.class, RunCommand.class})
public final class KubectlUnikernetes implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new KubectlUnikernetes())
        .setExecutionExceptionHandler((failure, commandLine, parseResult) -> {
          commandLine.getErr().println(describe(failure));
          return 1;
        });
  }

  /** As kubectl words failures: "Error from server (Forbidden): ..." for the API server's, else "error: ...". */
  static String describe(Exception failure) {
    if (failure instanceof KubernetesClientException api && api.getStatus() != null
        && api.getStatus().getMessage() != null) {
      String reason = api.getStatus().getReason() == null ? "Code " + api.getCode() : api.getStatus().getReason();
      return "Error from server (" + reason + "): " + api.getStatus().getMessage();
    }
    if (failure instanceof KubernetesClientException api && api.getCause() != null) {
      return "error: " + api.getCause().getMessage();
    }
    return "error: " + failure.getMessage();
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
