package io.unikernetes.kubectl;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.spec.BootMode;
import io.unikernetes.api.v1alpha1.spec.GuestPort;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.spec.InitrdSource;
import io.unikernetes.api.v1alpha1.spec.PortProtocol;
import io.unikernetes.api.v1alpha1.spec.RestartPolicy;
import io.unikernetes.api.v1alpha1.spec.UnikernelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kubectl unikernetes run NAME --kernel FILE}: kubectl run for unikernels in the local environment. Copies
 * the kernel (and initrd) to the local artifact server, named by digest, and creates a Unikernel pinning them.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Boot a kernel file from this machine: copy it to the local environment's artifact server "
        + "(hack/local-up.sh) and create a Unikernel pinning its URL and SHA-256.")
final class RunCommand implements Callable<Integer> {

  @Mixin
  ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "NAME", description = "The Unikernel's name.")
  String name;

  @Option(names = "--kernel", required = true, paramLabel = "FILE", description = "The guest's kernel (ELF).")
  Path kernel;

  @Option(names = "--initrd", paramLabel = "FILE", description = "An initial ramdisk.")
  Path initrd;

  @Option(names = "--cmdline", defaultValue = "", description = "The kernel command line.")
  String cmdline;

  @Option(names = "--memory", defaultValue = "32Mi", description = "spec.memory (default: ${DEFAULT-VALUE}).")
  String memory;

  @Option(names = "--vcpus", defaultValue = "1", description = "spec.vcpus (default: ${DEFAULT-VALUE}).")
  int vcpus;

  @Option(names = "--boot-mode", defaultValue = "pvh", description = "pvh, pv or hvm (default: ${DEFAULT-VALUE}).")
  String bootMode;

  @Option(names = "--restart", defaultValue = "Always", description = "Always, OnFailure or Never (default: "
      + "${DEFAULT-VALUE}).")
  RestartPolicy restart;

  @Option(names = "--port", paramLabel = "PORT", description = "A TCP port the guest serves on (repeatable).")
  List<Integer> ports = new ArrayList<>();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    for (Path file : initrd == null ? List.of(kernel) : List.of(kernel, initrd)) {
      if (!Files.isRegularFile(file)) {
        throw new CommandLine.ParameterException(spec.commandLine(), file + " is not a file");
      }
    }
    BootMode mode;
    try {
      mode = BootMode.valueOf(bootMode.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--boot-mode must be pvh, pv or hvm, not '"
          + bootMode + "'");
    }
    try (KubernetesClient client = cluster.client()) {
      Unikernel guest = new Unikernel();
      guest.getMetadata().setName(name);
      guest.getMetadata().setNamespace(cluster.namespace(client));
      UnikernelSpec guestSpec = new UnikernelSpec();
      LocalArtifacts artifacts = LocalArtifacts.find(client);
      LocalArtifacts.Published published = artifacts.publish(kernel);
      guestSpec.setImage(new ImageSource(published.url(), published.sha256()));
      if (initrd != null) {
        LocalArtifacts.Published ramdisk = artifacts.publish(initrd);
        guestSpec.getImage().setInitrd(new InitrdSource(ramdisk.url(), ramdisk.sha256()));
      }
      guestSpec.setCmdline(cmdline);
      guestSpec.setMemory(memory);
      guestSpec.setVcpus(vcpus);
      guestSpec.setBootMode(mode);
      guestSpec.setRestartPolicy(restart);
      if (!ports.isEmpty()) {
        guestSpec.setPorts(ports.stream().map(port -> new GuestPort(null, port, PortProtocol.TCP)).toList());
      }
      guest.setSpec(guestSpec);
      guest.setStatus(null);
      client.resource(guest).create();
      spec.commandLine().getOut().println("unikernel.unikernetes.io/" + name + " created");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
