package io.unikernetes.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.unikernetes.common.metrics.MetricsRegistry;
import io.unikernetes.common.startup.StartupFailure;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.unikernetes.agent.config.AgentConfig;
import io.unikernetes.agent.console.ConsoleLogs;
import io.unikernetes.agent.console.ConsolePublisher;
import io.unikernetes.agent.console.ConsoleWatcher;
import io.unikernetes.agent.domain.CpuSet;
import io.unikernetes.agent.domain.DomainFlavor;
import io.unikernetes.agent.domain.DomainXmlRenderer;
import io.unikernetes.agent.guests.GuestControllerConfiguration;
import io.unikernetes.agent.guests.GuestImages;
import io.unikernetes.agent.guests.GuestReconciler;
import io.unikernetes.agent.guests.PullSecrets;
import io.unikernetes.agent.guests.RecentWrites;
import io.unikernetes.agent.network.GuestNetwork;
import io.unikernetes.agent.probes.GuestProbes;
import io.unikernetes.agent.probes.Prober;
import io.unikernetes.agent.hypervisor.BoundedHypervisor;
import io.unikernetes.agent.hypervisor.Hypervisor;
import io.unikernetes.agent.hypervisor.HypervisorException;
import io.unikernetes.agent.hypervisor.LibvirtHypervisor;
import io.unikernetes.agent.images.ImageCache;
import io.unikernetes.agent.images.ImageCacheCollector;
import io.unikernetes.agent.images.ImageDownloads;
import io.unikernetes.agent.images.RegistryTrust;
import io.unikernetes.agent.images.signatures.ImagePolicies;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.UnikernelImagePolicy;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.unikernetes.agent.volumes.GuestVolumes;
import io.unikernetes.agent.volumes.QemuImg;
import io.unikernetes.agent.metrics.AgentMetrics;
import io.unikernetes.agent.registration.NodeHeartbeat;
import io.unikernetes.agent.registration.NodeRegistrar;
import io.unikernetes.agent.registration.OrphanReaper;
import io.unikernetes.agent.activity.ActivityReporter;
import io.unikernetes.agent.activity.GuestTraffic;
import io.unikernetes.agent.activity.NftGuestTraffic;
import io.unikernetes.common.events.EventRecorder;
import io.unikernetes.common.http.ProbeServer;
import io.unikernetes.common.http.Readiness;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running agent: XenNode registration, the guest controller, orphan sweeps, probes. Close it to stop. */
public final class UnikernetesAgent implements AutoCloseable {

  public static final String COMPONENT = "unikernetes-xen-agent";
  public static final String VERSION = "0.1.0";
  private static final Logger LOG = LoggerFactory.getLogger(UnikernetesAgent.class);
  /** Image downloads running at once; more wait their turn without holding up any reconcile. */
  private static final int PARALLEL_DOWNLOADS = 4;
  /** How often a lost libvirt connection is noticed and reopened (then every guest is looked at again). */
  private static final java.time.Duration CONNECTION_CHECK = java.time.Duration.ofSeconds(5);
  /** How soon status.allocated follows guests coming and going (a pass over the cache; a write only on change). */
  private static final java.time.Duration ALLOCATED_REFRESH = java.time.Duration.ofSeconds(2);
  /** The first collection of the image cache, soon after start (files left over from before are counted). */
  private static final java.time.Duration CACHE_COLLECTION = java.time.Duration.ofSeconds(1);
  /** How often the cache is looked at again while it is under pressure. */
  private static final java.time.Duration PRESSURE_CHECK = java.time.Duration.ofSeconds(5);
  /** Least time between two writes of one guest's console (kubectl unikernetes logs -f lags by up to this). */
  private static final java.time.Duration CONSOLE_WRITE_INTERVAL = java.time.Duration.ofSeconds(1);
  /**
   * How often guest traffic is read (two nft runs) while a guest here wants activity reports: the shortest
   * report period a deployment asks for.
   */
  private static final java.time.Duration ACTIVITY_POLL = java.time.Duration.ofSeconds(2);

  private final Operator operator;
  private final Hypervisor hypervisor;
  private final ProbeServer probes;
  private final List<ScheduledExecutorService> housekeeping;
  private final SharedIndexInformer<UnikernelImagePolicy> imagePolicies;
  private final ImageDownloads downloads;
  private final ConsolePublisher console;
  private final GuestTraffic traffic;

  private UnikernetesAgent(Operator operator, Hypervisor hypervisor, ProbeServer probes,
      List<ScheduledExecutorService> housekeeping, ImageDownloads downloads, ConsolePublisher console,
      SharedIndexInformer<UnikernelImagePolicy> imagePolicies, GuestTraffic traffic) {
    this.imagePolicies = imagePolicies;
    this.traffic = traffic;
    this.downloads = downloads;
    this.console = console;
    this.operator = operator;
    this.hypervisor = hypervisor;
    this.probes = probes;
    this.housekeeping = housekeeping;
  }

  public static UnikernetesAgent start(AgentConfig config, KubernetesClient client) throws IOException {
    Clock clock = Clock.systemUTC();
    PrometheusMeterRegistry registry = MetricsRegistry.prometheus();
    DomainFlavor flavor = DomainFlavor.ofUri(config.libvirtUri());
    LibvirtHypervisor libvirt;
    try {
      libvirt = LibvirtHypervisor.connect(config.libvirtUri(), registry);
    } catch (HypervisorException e) {
      throw new StartupFailure("cannot connect to libvirt at " + config.libvirtUri() + " (" + e.getMessage()
          + "): start libvirtd, or set --" + AgentConfig.LIBVIRT_URI.flag() + " (or $" + AgentConfig.LIBVIRT_URI.env()
          + ") to the host's libvirt URI", e);
    }
    Optional<CpuSet> guestCpus;
    try {
      guestCpus = config.reservedCpus().map(reserved -> reserved.othersOf(libvirt.hostCpus()));
    } catch (IllegalArgumentException e) {
      libvirt.close();
      throw new StartupFailure("--" + AgentConfig.RESERVED_CPUS.flag() + " " + config.reservedCpus().orElseThrow()
          + ": " + e.getMessage(), e);
    } catch (HypervisorException e) {
      libvirt.close();
      throw new StartupFailure("cannot read the host's CPUs from libvirt for --" + AgentConfig.RESERVED_CPUS.flag()
          + ": " + e.getMessage(), e);
    }
    Hypervisor hypervisor = new BoundedHypervisor(libvirt, config.libvirtParallelism(), registry);
    Operator operator = new Operator(o -> o.withKubernetesClient(client)
        .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
        .withCloseClientOnStop(false)
        .withUseSSAToPatchPrimaryResource(false));
    // The port before anything is written to the cluster: a taken port leaves no XenNode registered for nothing.
    ProbeServer probes;
    try {
      probes = ProbeServer.start(config.httpHost(), config.httpPort(), AgentConfig.HTTP_PORT, registry,
          () -> operator.getRuntimeInfo().isStarted(), () -> Readiness.problems(operator));
    } catch (StartupFailure e) {
      hypervisor.close();
      throw e;
    }
    NodeRegistrar registrar = new NodeRegistrar(client, hypervisor, config, VERSION, clock);
    NodeHeartbeat heartbeat = new NodeHeartbeat(client, config.heartbeatNamespace(), config.nodeName(),
        config.heartbeatInterval(), clock);
    try {
      registrar.register();
      heartbeat.renew();
    } catch (RuntimeException e) { // the API server refused or is away: nothing of this start may stay open
      probes.close();
      hypervisor.close();
      throw e;
    }

    config.registryCaFile().ifPresent(RegistryTrust::install);
    SharedIndexInformer<UnikernelImagePolicy> imagePolicies = client.resources(UnikernelImagePolicy.class).inform();
    ImageCache imageCache = new ImageCache(config.imageDir(), config.imageFetchIdleTimeout(),
        config.imageFetchTimeout(), flavor.name().toLowerCase(java.util.Locale.ROOT),
        new ImagePolicies(() -> imagePolicies.getStore().list().stream(), imagePolicies::hasSynced), registry);
    try {
      int swept = imageCache.sweepPartials();
      if (swept > 0) {
        LOG.info("removed {} unfinished download(s) from {}", swept, config.imageDir());
      }
    } catch (java.io.IOException e) {
      LOG.warn("cannot clean unfinished downloads in {}: {}", config.imageDir(), e.getMessage());
    }
    // The guests are known once the reconciler exists, which needs the downloads: a reference in between.
    java.util.concurrent.atomic.AtomicReference<java.util.function.Supplier<java.util.stream.Stream<Unikernel>>>
        nodeGuests = new java.util.concurrent.atomic.AtomicReference<>(java.util.stream.Stream::empty);
    ImageCacheCollector collector = new ImageCacheCollector(imageCache, config.imageCacheSize(),
        () -> nodeGuests.get().get().flatMap(GuestImages::of), registry);
    ImageDownloads downloads = new ImageDownloads(imageCache, collector, PARALLEL_DOWNLOADS, clock, registry);
    RecentWrites statusWriter = new RecentWrites(client, clock);
    ConsolePublisher console = new ConsolePublisher(client, clock, config.consoleRetainedBytes(),
        CONSOLE_WRITE_INTERVAL, config.consoleWritesPerSecond());
    GuestVolumes volumes = new GuestVolumes(config.diskDir(), new QemuImg("qemu-img"));
    var reconciler = new GuestReconciler(config.nodeName(), hypervisor, flavor, new DomainXmlRenderer(guestCpus),
        downloads, new PullSecrets(client),
        new ConsoleLogs(config.consoleDir(), config.xenConsoleDir(), flavor), new ConsoleWatcher(clock), console,
        statusWriter, new EventRecorder(client, COMPONENT, config.nodeName(), clock),
        new AgentMetrics(registry), new GuestNetwork(config.guestNetwork(), config.nodeName(), client, hypervisor,
            statusWriter), new GuestProbes(new Prober(probeThreads()), clock), volumes, clock);
    registrar.countGuestsFrom(reconciler::cachedGuests);
    nodeGuests.set(reconciler::cachedGuests);
    registrar.reportDiskPressureFrom(collector::pressure);
    operator.register(reconciler, GuestControllerConfiguration.of(operator, reconciler, config.nodeName(),
        config.resyncInterval()));
    operator.start();
    console.start();

    OrphanReaper reaper = new OrphanReaper(client, hypervisor, config.nodeName(), reconciler::cachedGuests, volumes);
    // Libvirt work on two threads; the heartbeat on its own, so a hung libvirtd never stops it (a node whose
    // heartbeat stops is declared lost and its guests replaced).
    ScheduledExecutorService housekeeping = Executors.newScheduledThreadPool(2, r -> {
      Thread thread = new Thread(r, "housekeeping");
      thread.setDaemon(true);
      return thread;
    });
    ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "heartbeat");
      thread.setDaemon(true);
      return thread;
    });
    long period = config.resyncInterval().toMillis();
    housekeeping.scheduleWithFixedDelay(() -> runQuietly("orphan sweep", reaper::sweep), 0, period,
        TimeUnit.MILLISECONDS);
    housekeeping.scheduleWithFixedDelay(() -> runQuietly("XenNode refresh", registrar::register), period, period,
        TimeUnit.MILLISECONDS);
    // The cache's bound: at each resync, and often while under pressure, which a deleted guest may end.
    housekeeping.scheduleWithFixedDelay(() -> runQuietly("image cache collection", collector::collect),
        CACHE_COLLECTION.toMillis(), period, TimeUnit.MILLISECONDS);
    housekeeping.scheduleWithFixedDelay(() -> runQuietly("image cache pressure check", () -> {
      if (collector.pressure().isPresent()) {
        collector.collect();
      }
    }), PRESSURE_CHECK.toMillis(), PRESSURE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    collector.onPressureChange(() -> housekeeping.execute(() -> runQuietly("XenNode refresh", registrar::register)));
    housekeeping.scheduleWithFixedDelay(() -> runQuietly("XenNode allocated resources", registrar::refreshAllocated),
        ALLOCATED_REFRESH.toMillis(), ALLOCATED_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    housekeeping.scheduleWithFixedDelay(() -> runQuietly("libvirt connection check", hypervisor::checkConnection),
        CONNECTION_CHECK.toMillis(), CONNECTION_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    long beat = config.heartbeatInterval().toMillis();
    heartbeats.scheduleWithFixedDelay(() -> runQuietly("heartbeat", heartbeat::renew), beat, beat,
        TimeUnit.MILLISECONDS);
    GuestTraffic traffic = guestTraffic(config, clock);
    ActivityReporter activity = new ActivityReporter(config.nodeName(), traffic, reconciler::cachedGuests,
        statusWriter, clock);
    housekeeping.scheduleWithFixedDelay(() -> runQuietly("activity report", activity::report),
        ACTIVITY_POLL.toMillis(), ACTIVITY_POLL.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info("xen-agent {} serving XenNode {} through {}", VERSION, config.nodeName(), config.libvirtUri());
    return new UnikernetesAgent(operator, hypervisor, probes, List.of(housekeeping, heartbeats), downloads, console,
        imagePolicies, traffic);
  }

  private static GuestTraffic guestTraffic(AgentConfig config, Clock clock) {
    var network = config.guestNetwork();
    if (network.bridge().isEmpty()) {
      return GuestTraffic.none();
    }
    return network.noteTraffic() ? NftGuestTraffic.install("nft", network.bridge().get(), clock)
        : GuestTraffic.unknown();
  }

  private static void runQuietly(String what, Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.warn("{} failed: {}", what, e.getMessage());
    }
  }

  /** The agent's view of libvirt, for tests that check domains directly. */
  public Hypervisor hypervisor() {
    return hypervisor;
  }

  public int httpPort() {
    return probes.port();
  }

  /** Stops watching and serving; guests keep running (an agent restart never reboots them). */
  @Override
  public void close() {
    housekeeping.forEach(ScheduledExecutorService::shutdownNow);
    operator.stop();
    console.close();
    downloads.close();
    imagePolicies.close();
    probes.close();
    traffic.close();
    hypervisor.close();
  }

  /** Two daemon threads complete every guest's probes: probes wait on sockets, never on these threads. */
  private static java.util.concurrent.ExecutorService probeThreads() {
    java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
    return java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
      Thread thread = new Thread(r, "probe-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }
}
