package io.unikernetes.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.unikernetes.common.config.Settings;
import io.unikernetes.common.logging.LogSettings;
import io.unikernetes.common.logging.Logging;
import io.unikernetes.common.startup.StartupFailures;
import io.unikernetes.operator.config.OperatorConfig;
import org.slf4j.LoggerFactory;

/**
 * Entry point: config, logging, client, operator. Connects with the in-cluster account or $KUBECONFIG. Exits 2
 * on a bad option and 1 when it cannot start, after one line on standard error naming what to change.
 */
public final class Main {

  private static final String PROGRAM = "unikernetes-operator";

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("--help")) {
      System.out.println(PROGRAM + ": binds Unikernels to XenNodes.\n" + Settings.usage(OperatorConfig.OPTIONS));
      return;
    }
    OperatorConfig config;
    LogSettings logs;
    try {
      config = OperatorConfig.from(args, System.getenv());
      logs = LogSettings.from(Settings.of(args, System.getenv(), OperatorConfig.OPTIONS));
    } catch (IllegalArgumentException e) {
      System.err.println(PROGRAM + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    Logging.configure(logs);
    KubernetesClient client = null;
    UnikernetesOperator operator;
    try {
      StartupFailures.requireKubeconfig();
      client = new KubernetesClientBuilder().build();
      operator = UnikernetesOperator.start(config, client, UnikernetesOperator.OnLostLeadership.EXIT_PROCESS);
    } catch (Exception | ExceptionInInitializerError e) {
      LoggerFactory.getLogger(Main.class).debug("start-up failed", e);
      System.err.println(PROGRAM + ": " + StartupFailures.describe(e,
          client == null ? "(none)" : client.getConfiguration().getMasterUrl()));
      System.exit(1);
      return;
    }
    KubernetesClient started = client;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.close();
      started.close();
    }, "shutdown"));
    Thread.currentThread().join();
  }
}
