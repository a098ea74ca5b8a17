package io.unikernetes.common.startup;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.unikernetes.common.config.ConfigOption;
import io.unikernetes.common.config.Settings;
import io.unikernetes.common.logging.LogSettings;
import io.unikernetes.common.logging.Logging;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.LoggerFactory;

/**
 * What the operator's and the agent's mains share: --help, options, logging, the API client, and how a start
 * fails. Exits 2 on a bad option and 1 when the component cannot start, after one line on standard error
 * naming what to change (the stack trace is logged at debug level); otherwise runs until the JVM stops.
 */
public final class ComponentMain {

  /** Starts the component; closing what it returns stops it. */
  @FunctionalInterface
  public interface Launcher<C> {
    AutoCloseable start(C config, KubernetesClient client) throws Exception;
  }

  private ComponentMain() {
  }

  /**
   * @param options every option the component takes, the logging ones included
   * @param config reads the component's settings; throws IllegalArgumentException naming a bad option
   */
  public static <C> void run(String program, String summary, List<ConfigOption> options, String[] args,
      BiFunction<String[], Map<String, String>, C> config, Launcher<C> launcher) throws InterruptedException {
    if (args.length == 1 && args[0].equals("--help")) {
      System.out.println(program + ": " + summary + "\n" + Settings.usage(options));
      return;
    }
    C settings;
    LogSettings logs;
    try {
      settings = config.apply(args, System.getenv());
      logs = LogSettings.from(Settings.of(args, System.getenv(), options));
    } catch (IllegalArgumentException e) {
      System.err.println(program + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    Logging.configure(logs);
    KubernetesClient client = null;
    AutoCloseable component;
    try {
      StartupFailures.requireKubeconfig();
      client = new KubernetesClientBuilder().build();
      component = launcher.start(settings, client);
    } catch (Exception | LinkageError e) { // LinkageError: e.g. libvirt's native library missing
      LoggerFactory.getLogger(ComponentMain.class).debug("start-up failed", e);
      System.err.println(program + ": " + StartupFailures.describe(e,
          client == null ? "(none)" : client.getConfiguration().getMasterUrl()));
      System.exit(1);
      return;
    }
    KubernetesClient started = client;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        component.close();
      } catch (Exception e) {
        LoggerFactory.getLogger(ComponentMain.class).warn("stopping failed", e);
      }
      started.close();
    }, "shutdown"));
    Thread.currentThread().join();
  }
}
