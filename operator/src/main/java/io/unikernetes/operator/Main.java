package io.unikernetes.operator;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.unikernetes.common.config.Settings;
import io.unikernetes.operator.config.OperatorConfig;

/** Entry point: config, client, operator. Connects with the in-cluster account or $KUBECONFIG. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("--help")) {
      System.out.println("unikernetes-operator: binds Unikernels to XenNodes.\n" + Settings.usage(OperatorConfig.OPTIONS));
      return;
    }
    OperatorConfig config;
    try {
      config = OperatorConfig.from(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    var client = new KubernetesClientBuilder().build();
    UnikernetesOperator operator = UnikernetesOperator.start(config, client,
        UnikernetesOperator.OnLostLeadership.EXIT_PROCESS);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.close();
      client.close();
    }, "shutdown"));
    Thread.currentThread().join();
  }
}
