package io.unikernetes.operator;

import io.unikernetes.common.startup.ComponentMain;
import io.unikernetes.operator.config.OperatorConfig;

/** Entry point: binds Unikernels to XenNodes; connects with the in-cluster account or $KUBECONFIG. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) throws InterruptedException {
    ComponentMain.run("unikernetes-operator", "binds Unikernels to XenNodes.", OperatorConfig.OPTIONS, args,
        OperatorConfig::from, (config, client) -> UnikernetesOperator.start(config, client,
            UnikernetesOperator.OnLostLeadership.EXIT_PROCESS));
  }
}
