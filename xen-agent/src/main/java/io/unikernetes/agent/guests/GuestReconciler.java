package io.unikernetes.agent.guests;

import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.unikernetes.agent.console.ConsoleHead;
import io.unikernetes.agent.console.ConsoleLogs;
import io.unikernetes.agent.console.ConsolePublisher;
import io.unikernetes.agent.console.ConsoleWatcher;
import io.unikernetes.agent.domain.DomainFlavor;
import io.unikernetes.agent.domain.DomainXmlRenderer;
import io.unikernetes.agent.domain.GuestDisk;
import io.unikernetes.agent.domain.GuestDomain;
import io.unikernetes.agent.network.CmdlineVariables;
import io.unikernetes.agent.network.GuestInterface;
import io.unikernetes.agent.network.GuestNetwork;
import io.unikernetes.agent.probes.GuestProbes;
import io.unikernetes.agent.probes.ProbeTarget;
import io.unikernetes.agent.domain.UnsupportedBootModeException;
import io.unikernetes.agent.hypervisor.DomainNames;
import io.unikernetes.agent.hypervisor.DomainStatus;
import io.unikernetes.agent.hypervisor.GuestIdentity;
import io.unikernetes.agent.hypervisor.Hypervisor;
import io.unikernetes.agent.hypervisor.HypervisorException;
import io.unikernetes.agent.hypervisor.StopReason;
import io.unikernetes.agent.images.ImageDownloads;
import io.unikernetes.agent.images.ImageFiles;
import io.unikernetes.agent.images.KernelFormat;
import io.unikernetes.agent.images.KernelInspector;
import io.unikernetes.agent.metrics.AgentMetrics;
import io.unikernetes.agent.volumes.DiskImageRejectedException;
import io.unikernetes.agent.volumes.GuestVolumes;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.spec.BootMode;
import io.unikernetes.api.v1alpha1.spec.GuestVolume;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.spec.ResolvedGuestSpec;
import io.unikernetes.api.v1alpha1.spec.RestartPolicy;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.api.v1alpha1.status.UnikernelStatus;
import io.unikernetes.common.events.EventRecorder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Runs the Unikernels bound to this node: boots a domain for each (image fetched and verified first),
 * follows it through libvirt's lifecycle events, applies the restart policy, and destroys the domain before
 * the object goes. Reads the world (API object, libvirt domain) on every pass, so a restarted agent adopts
 * running guests instead of rebooting them.
 */
public class GuestReconciler implements Reconciler<Unikernel>, Cleaner<Unikernel> {

  /** How often a download's progress is written to status while it runs. */
  private static final Duration PROGRESS = Duration.ofSeconds(5);
  /** libvirt refusing to start a domain this often in a row fails a guest under restartPolicy Never. */
  static final int BOOT_ATTEMPTS = 5;
  private static final Duration FIRST_BOOT_RETRY = Duration.ofSeconds(10);
  private static final Duration MAX_BOOT_RETRY = Duration.ofMinutes(5);
  /** How soon a pass that libvirt failed is tried again. */
  private static final Duration LIBVIRT_RETRY = Duration.ofSeconds(5);
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GuestReconciler.class);

  private final String nodeName;
  private final Hypervisor hypervisor;
  private final DomainFlavor flavor;
  private final ImageDownloads images;
  private final PullSecrets pullSecrets;
  private final ConsoleLogs consoleLogs;
  private final ConsoleWatcher consoleWatcher;
  private final ConsolePublisher consolePublisher;
  private final RecentWrites statusWriter;
  private final EventRecorder events;
  private final AgentMetrics metrics;
  private final Clock clock;
  private final DomainXmlRenderer renderer;
  private final GuestNetwork network;
  private final GuestProbes probes;
  private final GuestVolumes volumes;
  private volatile Supplier<Stream<Unikernel>> cachedGuests = Stream::empty;
  /** Per guest UID: libvirt's refusals to start its domain since it last ran. Lost on restart: then retried. */
  private final Map<String, BootFailures> bootFailures = new ConcurrentHashMap<>();

  /** Refusals in a row, and when the next start may be tried (other events do not cut the backoff short). */
  private record BootFailures(int count, Instant retryAt) {
  }

  public GuestReconciler(String nodeName, Hypervisor hypervisor, DomainFlavor flavor, DomainXmlRenderer renderer,
      ImageDownloads images,
      PullSecrets pullSecrets, ConsoleLogs consoleLogs, ConsoleWatcher consoleWatcher, ConsolePublisher consolePublisher,
      RecentWrites statusWriter,
      EventRecorder events, AgentMetrics metrics, GuestNetwork network, GuestProbes probes, GuestVolumes volumes,
      Clock clock) {
    this.nodeName = nodeName;
    this.volumes = volumes;
    this.probes = probes;
    this.network = network;
    this.hypervisor = hypervisor;
    this.flavor = flavor;
    this.renderer = renderer;
    this.images = images;
    this.pullSecrets = pullSecrets;
    this.consoleLogs = consoleLogs;
    this.consoleWatcher = consoleWatcher;
    this.consolePublisher = consolePublisher;
    this.statusWriter = statusWriter;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** The guests bound to this node as the controller's informer caches them (none before it starts). */
  public Stream<Unikernel> cachedGuests() {
    return cachedGuests.get();
  }

  @Override
  public List<EventSource<?, Unikernel>> prepareEventSources(EventSourceContext<Unikernel> context) {
    cachedGuests = () -> context.getPrimaryCache().list();
    metrics.observeGuests(cachedGuests);
    return List.of(new DomainEventSource(hypervisor, () -> context.getPrimaryCache().list()),
        new ImageEventSource(images, () -> context.getPrimaryCache().list()), consoleWatcher, probes);
  }

  @Override
  public UpdateControl<Unikernel> reconcile(Unikernel cached, Context<Unikernel> context) {
    try {
      return reconcileGuest(cached, context);
    } catch (HypervisorException e) {
      // libvirt away or busy (a domain's job lock, a restarting daemon): look again soon, for as long as it
      // takes. The framework's own retries would give up after a few tries and leave the guest unwatched.
      LOG.warn("{}/{}: {}; retrying in {} s", cached.getMetadata().getNamespace(), cached.getMetadata().getName(),
          e.getMessage(), LIBVIRT_RETRY.toSeconds());
      return UpdateControl.<Unikernel>noUpdate().rescheduleAfter(LIBVIRT_RETRY);
    }
  }

  private UpdateControl<Unikernel> reconcileGuest(Unikernel cached, Context<Unikernel> context) {
    // The informer may not show our own last status write yet; decisions (restart counts, start times) are
    // made on the newest copy known, never on one older than what this agent wrote.
    Unikernel guest = statusWriter.freshest(cached).orElse(null);
    if (guest == null || guest.getMetadata().getDeletionTimestamp() != null) {
      return UpdateControl.noUpdate();
    }
    GuestIdentity identity = identityOf(guest);
    ResolvedGuestSpec spec = guest.getSpec().resolved();
    UnikernelStatus status = guest.getStatus() == null ? new UnikernelStatus() : guest.getStatus();
    Optional<DomainStatus> domain = hypervisor.find(identity);
    if (domain.isEmpty()) {
      if (status.getPhase() != null && status.getPhase().isTerminal()) {
        return UpdateControl.noUpdate();
      }
      if (status.getDomainUUID() != null && status.getPhase() == UnikernelPhase.Running) {
        return vanished(guest, identity, spec, GuestReport.from(status));
      }
      // The operator confirms a binding in status, which no label or spec edit can fake or undo.
      return Conditions.isTrue(status.getConditions(), ConditionType.Scheduled)
          ? boot(guest, identity, spec, GuestReport.from(status), GuestReport.from(status).restartCount())
          : UpdateControl.noUpdate();
    }
    if (status.getPhase() != null && status.getPhase().isTerminal() && !domain.get().state().isStopped()) {
      return removeSettledDomain(guest, domain.get());
    }
    return domain.get().state().isStopped()
        ? stopped(guest, identity, spec, domain.get(), GuestReport.from(status))
        : running(guest, identity, spec, domain.get(), GuestReport.from(status));
  }

  /**
   * The guest was settled while its domain still ran: the operator declared this node lost and the guest
   * was replaced elsewhere. Running it on would leave a duplicate, so the domain goes.
   */
  private UpdateControl<Unikernel> removeSettledDomain(Unikernel guest, DomainStatus domain) {
    hypervisor.destroyAndUndefine(domain.name());
    consoleWatcher.forget(guest.getMetadata().getUid());
    consolePublisher.endBoot(ConsolePublisher.Guest.of(guest, nodeName),
        consoleLogs.pathFor(identityOf(guest), guest.getSpec().resolved().bootMode()),
        GuestReport.from(guest.getStatus()).restartCount());
    events.record(guest, EventRecorder.Type.Warning, Reason.DomainRemoved, "domain " + domain.name()
        + " was still running after the guest was settled as " + guest.getStatus().getPhase()
        + " (node lost and guest replaced); removed it so no duplicate runs");
    return UpdateControl.noUpdate();
  }

  /**
   * The guest ran, and its domain is gone (undefined behind the agent's back, or lost with a host's libvirt
   * state): it is not running, so it is treated as a destroyed domain under the restart policy.
   */
  private UpdateControl<Unikernel> vanished(Unikernel guest, GuestIdentity identity, ResolvedGuestSpec spec,
      GuestReport report) {
    String why = "domain " + DomainNames.of(identity) + " (" + report.domainUUID() + ") is gone from the host";
    consoleWatcher.forget(identity.uid());
    consolePublisher.endBoot(ConsolePublisher.Guest.of(guest, nodeName), consoleLogs.pathFor(identity,
        spec.bootMode()), report.restartCount());
    probes.forget(identity.uid());
    if (RestartRule.decide(spec.restartPolicy(), StopReason.KILLED) != RestartRule.Outcome.RESTART) {
      String message = why + "; restartPolicy " + spec.restartPolicy() + " leaves it Failed";
      events.record(guest, EventRecorder.Type.Warning, Reason.DomainLost, message);
      write(guest, report.with(UnikernelPhase.Failed, Reason.DomainLost, message));
      return UpdateControl.noUpdate();
    }
    events.record(guest, EventRecorder.Type.Warning, Reason.DomainLost, why + "; booting it again");
    return boot(guest, identity, spec, report.with(UnikernelPhase.Booting, Reason.DomainLost, why),
        report.restartCount() + 1);
  }

  /**
   * No domain yet: get the verified image (downloaded in the background; this pass never waits for it), check
   * that it can boot in the guest's mode, define and start the domain.
   */
  private UpdateControl<Unikernel> boot(Unikernel guest, GuestIdentity identity, ResolvedGuestSpec spec,
      GuestReport report, int restarts) {
    Fetched kernelImage = fetch(guest, report, spec.image(), "");
    if (kernelImage.waiting() != null) {
      return kernelImage.waiting();
    }
    Optional<Path> kernelFile = kernelImage.files().kernel();
    if (kernelFile.isEmpty()) {
      return fail(guest, report, Reason.ImageNotBootable, "image " + spec.image().location() + " carries no kernel "
          + "(only a disk): name it in spec.volumes and boot a kernel from another image");
    }
    Path kernel = kernelFile.get();
    Optional<Path> initrd = kernelImage.files().initrd();
    if (spec.image().getInitrd() != null) {
      Fetched ramdisk = fetch(guest, report, spec.image().getInitrd().asDownload(), "initrd ");
      if (ramdisk.waiting() != null) {
        return ramdisk.waiting();
      }
      initrd = ramdisk.files().kernel();
    }
    Map<String, Path> diskImages = new java.util.HashMap<>();
    for (GuestVolume volume : volumesOf(guest)) {
      if (volume.getImage() == null) {
        continue;
      }
      String what = "volume " + volume.getName() + ": ";
      Fetched disk = fetch(guest, report, volume.getImage().asDownload(), what);
      if (disk.waiting() != null) {
        return disk.waiting();
      }
      if (disk.files().disk().isEmpty()) {
        return fail(guest, report, Reason.ImageNotBootable, what + "image " + volume.getImage().location()
            + " carries no disk: a layer of media type application/vnd.unikernetes.disk.v1 or urunc's "
            + "com.urunc.unikernel.block");
      }
      diskImages.put(volume.getName(), disk.files().disk().get());
    }
    KernelFormat format;
    try {
      format = KernelInspector.inspect(kernel);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the cached image " + kernel + ": " + e.getMessage(), e);
    }
    report = report.withImageFormat(format.protocols());
    Optional<String> unbootable = unbootable(format, spec);
    if (unbootable.isPresent()) {
      return fail(guest, report, Reason.ImageNotBootable, unbootable.get());
    }
    Optional<GuestInterface> nic;
    try {
      nic = network.attach(guest, cachedGuests);
    } catch (GuestNetwork.NotYetException e) {
      write(guest, report.with(UnikernelPhase.Booting, Reason.AwaitingNetwork, e.getMessage()));
      return UpdateControl.<Unikernel>noUpdate().rescheduleAfter(PROGRESS);
    }
    List<GuestDisk> disks;
    try {
      disks = volumes.prepare(identity.uid(), volumesOf(guest), diskImages);
    } catch (DiskImageRejectedException e) {
      return fail(guest, report, Reason.ImageNotBootable, e.getMessage());
    } catch (IOException e) {
      String message = e.getMessage() + "; retrying in " + LIBVIRT_RETRY.toSeconds() + " s";
      if (report.reason() != Reason.VolumeSetupFailed) {
        events.record(guest, EventRecorder.Type.Warning, Reason.VolumeSetupFailed, message);
      }
      write(guest, report.with(UnikernelPhase.Booting, Reason.VolumeSetupFailed, message));
      return UpdateControl.<Unikernel>noUpdate().rescheduleAfter(LIBVIRT_RETRY);
    }
    String cmdline = CmdlineVariables.expand(spec.cmdline(),
        nic.map(GuestInterface::cmdlineVariables).orElse(Map.of()));
    Path consoleLog = consoleLogs.pathFor(identity, spec.bootMode());
    String xml;
    try {
      xml = renderer.render(new GuestDomain(identity, kernel, initrd, cmdline, spec.memory(), spec.vcpus(),
          spec.bootMode(), consoleLog, nic, disks), flavor);
      consoleLogs.prepare();
    } catch (UnsupportedBootModeException e) {
      return fail(guest, report, Reason.UnsupportedBootMode, e.getMessage());
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the console log directory: " + e.getMessage(), e);
    }
    Optional<Duration> backoff = backingOff(identity);
    if (backoff.isPresent()) {
      return UpdateControl.<Unikernel>noUpdate().rescheduleAfter(backoff.get());
    }
    if (report.domainUUID() != null) { // a boot before this one: its last lines, read before its log moves aside
      consolePublisher.endBoot(ConsolePublisher.Guest.of(guest, nodeName), consoleLog, report.restartCount());
    }
    consoleLogs.rotate(consoleLog);
    AtomicReference<Instant> starting = new AtomicReference<>();
    DomainStatus domain;
    try {
      domain = hypervisor.defineAndStart(xml, () -> starting.set(clock.instant()));
    } catch (HypervisorException e) {
      return bootFailed(guest, identity, spec, report, e);
    }
    bootFailures.remove(identity.uid());
    Instant startedAt = starting.get(); // after any wait for a libvirt turn: not part of the boot
    consoleWatcher.watch(identity.uid(), ResourceID.fromResource(guest), consoleLog, startedAt);
    consolePublisher.started(ConsolePublisher.Guest.of(guest, nodeName), consoleLog, restarts, startedAt);
    String message = "domain " + domain.name() + " runs on XenNode " + nodeName;
    events.record(guest, EventRecorder.Type.Normal, Reason.Running, message);
    write(guest, started(guest, report.started(domain.uuid(), restarts, startedAt), message));
    return UpdateControl.noUpdate();
  }

  /**
   * A freshly started domain: Running, and Ready unless the guest has a readiness probe, which has not passed
   * yet (as a Pod's container is not ready before its probe passes; Services and rollouts wait for it).
   */
  private static GuestReport started(Unikernel guest, GuestReport report, String message) {
    return guest.getSpec().getReadinessProbe() == null
        ? report.with(UnikernelPhase.Running, Reason.Running, message)
        : report.with(UnikernelPhase.Running, Reason.ProbeFailed, message + "; readiness probe: not passed yet");
  }

  /** Verified files from the cache, or what this pass returns while they are not there yet. */
  private record Fetched(ImageFiles files, UpdateControl<Unikernel> waiting) {
  }

  /**
   * The verified file of {@code source} if the cache has it; otherwise reports the download's progress or
   * failure ({@code what} names the file, e.g. "initrd ") and says when to look again.
   */
  private Fetched fetch(Unikernel guest, GuestReport report, ImageSource source, String what) {
    ImageDownloads.State image = images.request(source, pullSecrets.of(guest), pullSecrets.key(guest),
        created(guest));
    if (image instanceof ImageDownloads.Ready ready) {
      return new Fetched(ready.files(), null);
    }
    if (image instanceof ImageDownloads.Downloading d) {
      write(guest, report.with(UnikernelPhase.Booting, Reason.ImageDownloading, "fetching " + what + source.location()
          + ": " + progress(d.received(), d.total()) + (d.attempt() > 1 ? " (attempt " + d.attempt() + ")" : "")));
      return new Fetched(null, UpdateControl.<Unikernel>noUpdate().rescheduleAfter(PROGRESS));
    }
    ImageDownloads.Failed failed = (ImageDownloads.Failed) image;
    if (failed.isFinal()) {
      return new Fetched(null, fail(guest, report, failed.reason(), what + failed.message()));
    }
    Duration wait = Duration.between(clock.instant(), failed.retryAt());
    String message = what + failed.message() + (failed.reason() == Reason.DiskPressure ? "; looking again in "
        : "; attempt " + failed.attempt() + " failed, retrying in ") + Math.max(1, wait.toSeconds()) + " s";
    if (report.reason() != failed.reason()) {
      events.record(guest, EventRecorder.Type.Warning, failed.reason(), message);
    }
    write(guest, report.with(UnikernelPhase.Booting, failed.reason(), message));
    return new Fetched(null,
        UpdateControl.<Unikernel>noUpdate().rescheduleAfter(wait.isNegative() ? Duration.ofSeconds(1) : wait));
  }

  private static List<GuestVolume> volumesOf(Unikernel guest) {
    return guest.getSpec().getVolumes() == null ? List.of() : guest.getSpec().getVolumes();
  }

  /** When the guest was created (whole seconds, as the API server keeps it); the epoch when unknown. */
  private static Instant created(Unikernel guest) {
    String timestamp = guest.getMetadata().getCreationTimestamp();
    return timestamp == null ? Instant.EPOCH : Instant.parse(timestamp);
  }

  /** Why the image cannot boot in the guest's mode on this host, read from its bytes; empty when it can. */
  private Optional<String> unbootable(KernelFormat format, ResolvedGuestSpec spec) {
    Set<BootMode> modes = format.bootModes(flavor);
    if (modes.contains(spec.bootMode())) {
      return Optional.empty();
    }
    String supported = modes.isEmpty() ? "it boots in no mode on this " + flavor + " node"
        : "on this " + flavor + " node it boots as " + modes.stream().map(GuestReconciler::modeName)
            .collect(Collectors.joining(" or ")) + ": set spec.bootMode accordingly";
    return Optional.of("image " + spec.image().location() + " has " + format.describe() + "; it cannot boot as "
        + modeName(spec.bootMode()) + ", and " + supported);
  }

  /**
   * libvirt refused to define or start the domain (none is left defined): back off, visibly, like
   * CrashLoopBackOff (10 s doubling to 5 min). Under restartPolicy Never the guest fails after
   * {@link #BOOT_ATTEMPTS} refusals in a row; under Always and OnFailure it keeps trying, as a refusal may pass
   * (the host short of memory for a while).
   */
  private UpdateControl<Unikernel> bootFailed(Unikernel guest, GuestIdentity identity, ResolvedGuestSpec spec,
      GuestReport report, HypervisorException e) {
    BootFailures previous = bootFailures.get(identity.uid());
    int failures = previous == null ? 1 : previous.count() + 1;
    boolean never = spec.restartPolicy() == RestartPolicy.Never;
    if (never && failures >= BOOT_ATTEMPTS) {
      bootFailures.remove(identity.uid());
      return fail(guest, report, Reason.DomainError, "libvirt refused to start the domain " + failures
          + " times in a row; last: " + e.getMessage());
    }
    Duration wait = FIRST_BOOT_RETRY.multipliedBy(1L << Math.min(failures - 1, 5));
    wait = wait.compareTo(MAX_BOOT_RETRY) > 0 ? MAX_BOOT_RETRY : wait;
    bootFailures.put(identity.uid(), new BootFailures(failures, clock.instant().plus(wait)));
    String message = e.getMessage() + "; attempt " + failures + (never ? " of " + BOOT_ATTEMPTS : "")
        + ", retrying in " + wait.toSeconds() + " s";
    events.record(guest, EventRecorder.Type.Warning, Reason.DomainError, message);
    write(guest, report.with(UnikernelPhase.Booting, Reason.DomainError, message));
    return UpdateControl.<Unikernel>noUpdate().rescheduleAfter(wait);
  }

  /** How long the guest's start must still wait after libvirt refused it; empty when it may be tried now. */
  private Optional<Duration> backingOff(GuestIdentity identity) {
    BootFailures failures = bootFailures.get(identity.uid());
    Instant now = clock.instant();
    return failures == null || !now.isBefore(failures.retryAt()) ? Optional.empty()
        : Optional.of(Duration.between(now, failures.retryAt()));
  }

  private static String modeName(BootMode mode) {
    return mode.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String progress(long received, long total) {
    return total > 0 ? mebibytes(received) + " of " + mebibytes(total) : mebibytes(received) + " received";
  }

  private static String mebibytes(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  /** The domain runs: report it (adopting it if this agent did not start it) with its console output. */
  private UpdateControl<Unikernel> running(Unikernel guest, GuestIdentity identity, ResolvedGuestSpec spec,
      DomainStatus domain, GuestReport report) {
    // Also after the operator marked the guest lost while this agent was away: it is back and sees the domain.
    boolean adopted = !domain.uuid().equals(report.domainUUID()) || report.phase() != UnikernelPhase.Running
        || report.reason() == Reason.NodeLost || report.reason() == Reason.NodeDeleted;
    GuestReport next = report.withDomain(domain.uuid());
    if (adopted) {
      next = next.with(UnikernelPhase.Running, Reason.Adopted,
          "adopted running domain " + domain.name() + " (id " + domain.id() + ")");
    }
    String head = ConsoleHead.read(consoleLogs.pathFor(identity, spec.bootMode()));
    // Followed since it started, or from where an earlier agent's publication stopped (an adopted domain).
    consolePublisher.running(ConsolePublisher.Guest.of(guest, nodeName), consoleLogs.pathFor(identity, spec.bootMode()),
        report.restartCount(), report.startTime() == null ? null : Instant.parse(report.startTime()));
    Long bootMillis = consoleWatcher.output(identity.uid())
        .flatMap(ConsoleWatcher.Output::firstLineAfter)
        .map(Duration::toMillis)
        .orElse(null);
    if (bootMillis != null && report.bootDurationMillis() == null) {
      metrics.booted(Duration.ofMillis(bootMillis));
    }
    next = next.withConsole(head, bootMillis);
    Optional<GuestProbes.Verdicts> verdicts = probe(guest, identity, report);
    if (verdicts.flatMap(GuestProbes.Verdicts::liveness).filter(v -> !v.passing()).isPresent()) {
      String message = "liveness probe failed: " + verdicts.get().liveness().get().message()
          + "; restarting the guest (restartPolicy " + spec.restartPolicy() + ")";
      events.record(guest, EventRecorder.Type.Warning, Reason.LivenessProbeFailed, message);
      probes.forget(identity.uid());
      write(guest, next.with(UnikernelPhase.Running, Reason.LivenessProbeFailed, message));
      // The domain stops; its lifecycle event brings the guest to stopped(), which restarts it and counts it.
      hypervisor.destroy(domain.name());
      return UpdateControl.noUpdate();
    }
    Optional<GuestProbes.Verdict> readiness = verdicts.flatMap(GuestProbes.Verdicts::readiness);
    if (guest.getSpec().getReadinessProbe() != null && verdicts.isEmpty()) {
      next = next.with(UnikernelPhase.Running, Reason.ProbeFailed, "readiness probe: the guest has no address to "
          + "probe (spec.network is none, or XenNode " + nodeName + " has no guest bridge)");
    } else if (readiness.isPresent() && !readiness.get().passing()) {
      next = next.with(UnikernelPhase.Running, Reason.ProbeFailed, "readiness probe: " + readiness.get().message());
    } else if ((readiness.isPresent() || guest.getSpec().getReadinessProbe() == null)
        && (next.reason() == Reason.ProbeFailed || next.reason() == Reason.LivenessProbeFailed)) {
      // Also ends a liveness failure whose restart never happened (destroying the domain failed): the domain
      // still runs, and the liveness probe starts over and judges it again.
      next = next.with(UnikernelPhase.Running, Reason.Running, "domain " + domain.name() + " runs on XenNode "
          + nodeName + readiness.map(r -> "; readiness probe passes (" + r.message() + ")").orElse(""));
    }
    write(guest, next);
    return UpdateControl.noUpdate();
  }

  /**
   * Starts or keeps probing the running guest and returns its probes' verdicts; empty when it has no probe or
   * no address to probe.
   */
  private Optional<GuestProbes.Verdicts> probe(Unikernel guest, GuestIdentity identity, GuestReport report) {
    var spec = guest.getSpec();
    String ip = guest.getStatus() == null ? null : guest.getStatus().getIp();
    if ((spec.getReadinessProbe() == null && spec.getLivenessProbe() == null) || ip == null) {
      probes.forget(identity.uid());
      return Optional.empty();
    }
    Instant start = report.startTime() == null ? clock.instant() : Instant.parse(report.startTime());
    probes.ensure(identity.uid(), ResourceID.fromResource(guest), new GuestProbes.Plan(
        Optional.ofNullable(spec.getReadinessProbe()).map(p -> ProbeTarget.of(p, spec.getPorts(), ip)),
        Optional.ofNullable(spec.getLivenessProbe()).map(p -> ProbeTarget.of(p, spec.getPorts(), ip)), start));
    return probes.verdicts(identity.uid());
  }

  /** The domain is shut off: restart it or settle the guest as Succeeded or Failed, per restartPolicy. */
  private UpdateControl<Unikernel> stopped(Unikernel guest, GuestIdentity identity, ResolvedGuestSpec spec,
      DomainStatus domain, GuestReport report) {
    probes.forget(identity.uid());
    String why = switch (domain.stopReason()) {
      case SHUTDOWN -> "the guest shut down";
      case CRASHED -> "the guest crashed";
      case KILLED -> "the domain was destroyed or failed";
      case UNKNOWN -> "the domain stopped";
    };
    RestartRule.Outcome outcome = RestartRule.decide(spec.restartPolicy(), domain.stopReason());
    if (outcome != RestartRule.Outcome.RESTART) {
      boolean succeeded = outcome == RestartRule.Outcome.SUCCEEDED;
      UnikernelPhase phase = succeeded ? UnikernelPhase.Succeeded : UnikernelPhase.Failed;
      Reason reason = succeeded ? Reason.GuestExited : Reason.GuestCrashed;
      String message = why + "; restartPolicy " + spec.restartPolicy() + " leaves it " + phase;
      if (report.phase() != phase) {
        events.record(guest, succeeded ? EventRecorder.Type.Normal : EventRecorder.Type.Warning, reason, message);
      }
      if (report.phase() != phase) { // settling it now: its last lines (once; a settled guest is left alone)
        consolePublisher.endBoot(ConsolePublisher.Guest.of(guest, nodeName), consoleLogs.pathFor(identity,
            spec.bootMode()), report.restartCount());
      }
      consoleWatcher.forget(identity.uid());
      write(guest, report.with(phase, reason, message)
          .withConsole(ConsoleHead.read(consoleLogs.pathFor(identity, spec.bootMode())), null));
      return UpdateControl.noUpdate();
    }
    consolePublisher.endBoot(ConsolePublisher.Guest.of(guest, nodeName), consoleLogs.pathFor(identity,
        spec.bootMode()), report.restartCount());
    Duration wait = report.startTime() == null ? Duration.ZERO
        : Duration.between(clock.instant(), Instant.parse(report.startTime()).plus(RestartRule.backoff(report.restartCount())));
    if (!wait.isNegative() && !wait.isZero()) {
      write(guest, report.with(UnikernelPhase.Booting, Reason.Restarting,
          why + "; restarting in " + wait.toSeconds() + " s (restartPolicy " + spec.restartPolicy() + ")"));
      return UpdateControl.<Unikernel>noUpdate().rescheduleAfter(wait);
    }
    Optional<Duration> backoff = backingOff(identity);
    if (backoff.isPresent()) {
      return UpdateControl.<Unikernel>noUpdate().rescheduleAfter(backoff.get());
    }
    Path consoleLog = consoleLogs.pathFor(identity, spec.bootMode());
    consoleLogs.rotate(consoleLog);
    AtomicReference<Instant> starting = new AtomicReference<>();
    DomainStatus restarted;
    try {
      restarted = hypervisor.start(domain.name(), () -> starting.set(clock.instant()));
    } catch (HypervisorException e) {
      return bootFailed(guest, identity, spec, report, e);
    }
    bootFailures.remove(identity.uid());
    Instant startedAt = starting.get();
    consoleWatcher.watch(identity.uid(), ResourceID.fromResource(guest), consoleLog, startedAt);
    int restarts = report.restartCount() + 1;
    consolePublisher.started(ConsolePublisher.Guest.of(guest, nodeName), consoleLog, restarts, startedAt);
    String message = why + "; restarted under restartPolicy " + spec.restartPolicy() + " (restart " + restarts + ")";
    events.record(guest, EventRecorder.Type.Warning, Reason.Restarting, message);
    write(guest, started(guest, report.started(restarted.uuid(), restarts, startedAt), message));
    return UpdateControl.noUpdate();
  }

  @Override
  public DeleteControl cleanup(Unikernel guest, Context<Unikernel> context) {
    GuestIdentity identity = identityOf(guest);
    try {
      // By name, with no look first (a burst of deletes waits on libvirtd's turns): the name carries the guest's
      // UID, as the look by name did before. A domain defined by an agent that did not cut long names yet keeps
      // its longer name.
      if (!hypervisor.destroyAndUndefine(DomainNames.of(identity))
          && !DomainNames.uncut(identity).equals(DomainNames.of(identity))) {
        hypervisor.destroyAndUndefine(DomainNames.uncut(identity));
      }
    } catch (HypervisorException e) {
      // The domain must go before the object does; keep trying rather than let the retries run out and the
      // guest hang in deletion (seen after libvirtd was killed mid-job: "cannot acquire state change lock").
      LOG.warn("{}/{}: removing its domain failed: {}; retrying in {} s", guest.getMetadata().getNamespace(),
          guest.getMetadata().getName(), e.getMessage(), LIBVIRT_RETRY.toSeconds());
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(LIBVIRT_RETRY.toMillis());
    }
    consoleWatcher.forget(identity.uid());
    consolePublisher.forget(identity.uid());
    probes.forget(identity.uid());
    bootFailures.remove(identity.uid());
    statusWriter.forget(identity.uid());
    consoleLogs.delete(identity, guest.getSpec().resolved().bootMode());
    try {
      volumes.release(identity.uid());
    } catch (IOException e) {
      // The domain is gone; the files are only space. The orphan sweep removes them later.
      LOG.warn("{}/{}: cannot delete its disk files: {}", guest.getMetadata().getNamespace(),
          guest.getMetadata().getName(), e.getMessage());
    }
    return DeleteControl.defaultDelete();
  }

  private UpdateControl<Unikernel> fail(Unikernel guest, GuestReport report, Reason reason, String message) {
    warnOnce(guest, report, reason, message);
    write(guest, report.with(UnikernelPhase.Failed, reason, message));
    return UpdateControl.noUpdate();
  }

  private void warnOnce(Unikernel guest, GuestReport report, Reason reason, String message) {
    if (!Objects.equals(report.message(), message)) {
      events.record(guest, EventRecorder.Type.Warning, reason, message);
    }
  }

  private Unikernel write(Unikernel guest, GuestReport report) {
    return statusWriter.write(guest, status -> report.applyTo(status, guest.getMetadata().getGeneration(),
        clock.instant()));
  }

  private GuestIdentity identityOf(Unikernel guest) {
    return new GuestIdentity(guest.getMetadata().getUid(), guest.getMetadata().getNamespace(),
        guest.getMetadata().getName(), nodeName);
  }
}
