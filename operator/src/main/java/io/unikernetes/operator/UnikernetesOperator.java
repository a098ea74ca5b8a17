package io.unikernetes.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.unikernetes.common.events.EventRecorder;
import io.unikernetes.common.http.ProbeServer;
import io.unikernetes.common.http.Readiness;
import io.unikernetes.common.metrics.MetricsRegistry;
import io.unikernetes.common.status.UnikernelStatusWriter;
import io.unikernetes.operator.access.PullSecretAccessReconciler;
import io.unikernetes.operator.activator.Activator;
import io.unikernetes.operator.binding.SchedulingReconciler;
import io.unikernetes.operator.config.OperatorConfig;
import io.unikernetes.operator.deployment.UnikernelDeploymentReconciler;
import io.unikernetes.operator.ipam.NodeSubnetReconciler;
import io.unikernetes.operator.metrics.SchedulingMetrics;
import io.unikernetes.operator.nodes.NodeLifecycleReconciler;
import io.unikernetes.operator.scaletozero.ActivityLog;
import io.unikernetes.operator.scaletozero.DeploymentKey;
import io.unikernetes.operator.scaletozero.IdleScaler;
import io.unikernetes.operator.scaletozero.ScaleToZeroMetrics;
import io.unikernetes.operator.scaletozero.Wakes;
import io.unikernetes.operator.scheduler.Scheduler;
import io.unikernetes.operator.services.ServiceEndpointsReconciler;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/** The running operator: controllers, metrics and probes wired together. Close it to stop. */
public final class UnikernetesOperator implements AutoCloseable {

  public static final String COMPONENT = "unikernetes-operator";

  private final Operator operator;
  private final ProbeServer probes;
  private final Optional<Activator> activator;
  private final Wakes wakes;
  private final AtomicBoolean closing;

  private UnikernetesOperator(Operator operator, ProbeServer probes, Optional<Activator> activator, Wakes wakes,
      AtomicBoolean closing) {
    this.operator = operator;
    this.probes = probes;
    this.activator = activator;
    this.wakes = wakes;
    this.closing = closing;
  }

  /** What losing the leader lease does: a deployed operator exits so Kubernetes restarts it clean. */
  public enum OnLostLeadership { EXIT_PROCESS, STOP_CONTROLLERS }

  public static UnikernetesOperator start(OperatorConfig config, KubernetesClient client,
      OnLostLeadership onLostLeadership) throws IOException {
    Clock clock = Clock.systemUTC();
    PrometheusMeterRegistry registry = MetricsRegistry.prometheus();
    AtomicBoolean closing = new AtomicBoolean();
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
          .withCloseClientOnStop(false)
          .withUseSSAToPatchPrimaryResource(false);
      if (config.leaderElection()) {
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(config.leaseName(),
            config.leaseNamespace(), LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
            LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
            LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, config.identity(),
            new LeaderCallbacks(() -> { }, () -> exitUnlessClosing(onLostLeadership, closing, config), id -> { }),
            false));
      }
    });
    // The port first: a taken one fails the start before anything else is set up or logged.
    ProbeServer probes = ProbeServer.start(config.httpHost(), config.httpPort(), OperatorConfig.HTTP_PORT, registry,
        () -> operator.getRuntimeInfo().isStarted(), () -> Readiness.problems(operator));
    SchedulingMetrics metrics = new SchedulingMetrics(registry);
    EventRecorder events = new EventRecorder(client, COMPONENT, config.identity(), clock);
    var scheduling = new SchedulingReconciler(client, new Scheduler(config.schedulingPolicy()),
        new UnikernelStatusWriter(client, clock), events, metrics, clock);
    // All events: guests being deleted reach it too, for those of deleted XenNodes.
    operator.register(scheduling, c -> c.withName("scheduler").withItemStore(scheduling.cache())
        .withTriggerReconcilerOnAllEvents(true));
    ActivityLog activity = new ActivityLog();
    ScaleToZeroMetrics scaleToZeroMetrics = new ScaleToZeroMetrics(registry);
    Wakes wakes = new Wakes(client, activity, scaleToZeroMetrics, events, clock);
    Optional<Activator> activator = config.activatorAddress().isEmpty() ? Optional.empty()
        : Optional.of(new Activator(config.activatorAddress(), wakes));
    activator.ifPresent(a -> scaleToZeroMetrics.observeHeld(a::heldConnections));
    Predicate<DeploymentKey> routed = key -> activator.map(a -> a.fronts(key.namespace(), key.name())).orElse(false);
    operator.register(new UnikernelDeploymentReconciler(events, clock, new IdleScaler(client, activity, wakes,
        scaleToZeroMetrics, events, activator.isPresent(), routed), wakes), c -> c.withName("deployments"));
    operator.register(new NodeLifecycleReconciler(config.nodeLeaseNamespace(), config.nodeLostGrace(),
        new UnikernelStatusWriter(client, clock), events, clock), c -> c.withName("node-lifecycle"));
    operator.register(new NodeSubnetReconciler(config.guestSubnets(), events), c -> c.withName("node-subnets"));
    // Not generation-aware: a Service may carry no metadata.generation, and every selector edit must be seen.
    operator.register(new ServiceEndpointsReconciler(client, activator),
        c -> c.withName("service-endpoints").withGenerationAware(false));
    // Namespaces carry no generation: every guest event counts.
    operator.register(new PullSecretAccessReconciler(client, config.agentClusterRole()),
        c -> c.withName("pull-secret-access").withGenerationAware(false));
    try {
      operator.start();
    } catch (RuntimeException e) {
      probes.close(); // an in-process start that fails leaves no port behind
      activator.ifPresent(Activator::close);
      wakes.close();
      throw e;
    }
    return new UnikernetesOperator(operator, probes, activator, wakes, closing);
  }

  /**
   * A lost Lease ends a deployed operator's process, so Kubernetes restarts it clean. Not when the operator
   * stops on purpose: stopping gives the Lease up too, and System.exit inside the shutdown hook that stops it
   * (SIGTERM) would wait for that very hook, forever (JOSDK's own exitOnStopLeading does just that).
   */
  private static void exitUnlessClosing(OnLostLeadership onLostLeadership, AtomicBoolean closing,
      OperatorConfig config) {
    if (onLostLeadership == OnLostLeadership.EXIT_PROCESS && !closing.get()) {
      LoggerFactory.getLogger(UnikernetesOperator.class).error("lost the leader Lease {} as {}: exiting",
          config.leaseName(), config.identity());
      System.exit(1);
    }
  }

  public int httpPort() {
    return probes.port();
  }

  @Override
  public void close() {
    closing.set(true);
    operator.stop();
    activator.ifPresent(Activator::close);
    wakes.close();
    probes.close();
  }
}
