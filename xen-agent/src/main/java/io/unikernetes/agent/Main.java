package io.unikernetes.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.unikernetes.agent.config.AgentConfig;
import io.unikernetes.common.config.Settings;
import io.unikernetes.common.logging.LogSettings;
import io.unikernetes.common.logging.Logging;
import io.unikernetes.common.startup.StartupFailures;
import org.slf4j.LoggerFactory;

/**
 * Entry point: config, logging, client, agent. Connects with the in-cluster account or $KUBECONFIG. Exits 2 on
 * a bad option and 1 when it cannot start, after one line on standard error naming what to change.
 */
public final class Main {

  private static final String PROGRAM = "unikernetes-xen-agent";

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("--help")) {
      System.out.println(PROGRAM + ": runs the Unikernels bound to this host's XenNode.\n"
          + Settings.usage(AgentConfig.OPTIONS));
      return;
    }
    AgentConfig config;
    LogSettings logs;
    try {
      config = AgentConfig.from(args, System.getenv());
      logs = LogSettings.from(Settings.of(args, System.getenv(), AgentConfig.OPTIONS));
    } catch (IllegalArgumentException e) {
      System.err.println(PROGRAM + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    Logging.configure(logs);
    KubernetesClient client = null;
    UnikernetesAgent agent;
    try {
      StartupFailures.requireKubeconfig();
      client = new KubernetesClientBuilder().build();
      agent = UnikernetesAgent.start(config, client);
    } catch (Exception | ExceptionInInitializerError e) {
      LoggerFactory.getLogger(Main.class).debug("start-up failed", e);
      System.err.println(PROGRAM + ": " + StartupFailures.describe(e,
          client == null ? "(none)" : client.getConfiguration().getMasterUrl()));
      System.exit(1);
      return;
    }
    KubernetesClient started = client;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      started.close();
    }, "shutdown"));
    Thread.currentThread().join();
  }
}
