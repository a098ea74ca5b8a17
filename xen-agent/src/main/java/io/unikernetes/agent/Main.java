package io.unikernetes.agent;

import io.unikernetes.agent.config.AgentConfig;
import io.unikernetes.common.startup.ComponentMain;

/** Entry point: runs the Unikernels bound to this host's XenNode; connects with $KUBECONFIG or in-cluster. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) throws InterruptedException {
    ComponentMain.run("unikernetes-xen-agent", "runs the Unikernels bound to this host's XenNode.",
        AgentConfig.OPTIONS, args, AgentConfig::from, UnikernetesAgent::start);
  }
}
