package io.unikernetes.agent;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.unikernetes.agent.config.AgentConfig;
import io.unikernetes.common.config.Settings;

/** Entry point: config, client, agent. Connects with the in-cluster account or $KUBECONFIG. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("--help")) {
      System.out.println("unikernetes xen-agent: runs the Unikernels bound to this host's XenNode.\n"
          + Settings.usage(AgentConfig.OPTIONS));
      return;
    }
    AgentConfig config;
    try {
      config = AgentConfig.from(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    var client = new KubernetesClientBuilder().build();
    UnikernetesAgent agent = UnikernetesAgent.start(config, client);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      client.close();
    }, "shutdown"));
    Thread.currentThread().join();
  }
}
