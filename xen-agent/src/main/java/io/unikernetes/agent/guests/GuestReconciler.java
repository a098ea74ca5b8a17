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
import io.unikernetes.agent.console.ConsoleWatcher;
import io.unikernetes.agent.domain.DomainFlavor;
import io.unikernetes.agent.domain.DomainXmlRenderer;
import io.unikernetes.agent.domain.GuestDomain;
import io.unikernetes.agent.domain.UnsupportedBootModeException;
import io.unikernetes.agent.hypervisor.DomainNames;
import io.unikernetes.agent.hypervisor.DomainStatus;
import io.unikernetes.agent.hypervisor.GuestIdentity;
import io.unikernetes.agent.hypervisor.Hypervisor;
import io.unikernetes.agent.hypervisor.HypervisorException;
import io.unikernetes.agent.images.ImageCache;
import io.unikernetes.agent.images.ImageDigestMismatchException;
import io.unikernetes.agent.images.ImageFetchException;
import io.unikernetes.agent.metrics.AgentMetrics;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.spec.ResolvedGuestSpec;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.api.v1alpha1.status.UnikernelStatus;
import io.unikernetes.common.events.EventRecorder;
import io.unikernetes.common.status.UnikernelStatusWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs the Unikernels bound to this node: boots a domain for each (image fetched and verified first),
 * follows it through libvirt's lifecycle events, applies the restart policy, and destroys the domain before
 * the object goes. Reads the world (API object, libvirt domain) on every pass, so a restarted agent adopts
 * running guests instead of rebooting them.
 */
public class GuestReconciler implements Reconciler<Unikernel>, Cleaner<Unikernel> {

  private static final Duration FETCH_RETRY = Duration.ofSeconds(15);

  private final String nodeName;
  private final Hypervisor hypervisor;
  private final DomainFlavor flavor;
  private final ImageCache images;
  private final ConsoleLogs consoleLogs;
  private final ConsoleWatcher consoleWatcher;
  private final UnikernelStatusWriter statusWriter;
  private final EventRecorder events;
  private final AgentMetrics metrics;
  private final Clock clock;
  private final DomainXmlRenderer renderer = new DomainXmlRenderer();

  public GuestReconciler(String nodeName, Hypervisor hypervisor, DomainFlavor flavor, ImageCache images,
      ConsoleLogs consoleLogs, ConsoleWatcher consoleWatcher, UnikernelStatusWriter statusWriter,
      EventRecorder events, AgentMetrics metrics, Clock clock) {
    this.nodeName = nodeName;
    this.hypervisor = hypervisor;
    this.flavor = flavor;
    this.images = images;
    this.consoleLogs = consoleLogs;
    this.consoleWatcher = consoleWatcher;
    this.statusWriter = statusWriter;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, Unikernel>> prepareEventSources(EventSourceContext<Unikernel> context) {
    metrics.observeGuests(() -> context.getPrimaryCache().list());
    return List.of(new DomainEventSource(hypervisor), consoleWatcher);
  }

  @Override
  public UpdateControl<Unikernel> reconcile(Unikernel cached, Context<Unikernel> context) {
    // The informer may not show our own last status write yet; decisions (restart counts, start times) are
    // made on the object as stored, never on a stale copy.
    Unikernel guest = context.getClient().resource(cached).get();
    if (guest == null || guest.getMetadata().getDeletionTimestamp() != null) {
      return UpdateControl.noUpdate();
    }
    GuestIdentity identity = identityOf(guest);
    ResolvedGuestSpec spec = guest.getSpec().resolved();
    UnikernelStatus status = guest.getStatus() == null ? new UnikernelStatus() : guest.getStatus();
    Optional<DomainStatus> domain = hypervisor.find(identity);
    if (domain.isEmpty()) {
      return status.getPhase() != null && status.getPhase().isTerminal()
          ? UpdateControl.noUpdate()
          : boot(guest, identity, spec, GuestReport.from(status));
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
    events.record(guest, EventRecorder.Type.Warning, Reason.DomainRemoved, "domain " + domain.name()
        + " was still running after the guest was settled as " + guest.getStatus().getPhase()
        + " (node lost and guest replaced); removed it so no duplicate runs");
    return UpdateControl.noUpdate();
  }

  /** No domain yet: fetch and verify the image, define and start the domain. */
  private UpdateControl<Unikernel> boot(Unikernel guest, GuestIdentity identity, ResolvedGuestSpec spec,
      GuestReport report) {
    Unikernel current = write(guest, report.with(UnikernelPhase.Booting, Reason.ImageDownloading,
        "fetching " + spec.image().getUrl()));
    Path kernel;
    try {
      kernel = images.fetch(spec.image());
    } catch (ImageDigestMismatchException e) {
      return fail(current, report, Reason.ImageDigestMismatch, e.getMessage());
    } catch (ImageFetchException e) {
      warnOnce(current, report, Reason.ImageDownloadFailed, e.getMessage());
      write(current, report.with(UnikernelPhase.Booting, Reason.ImageDownloadFailed, e.getMessage()));
      return UpdateControl.<Unikernel>noUpdate().rescheduleAfter(FETCH_RETRY);
    }
    Path consoleLog = consoleLogs.pathFor(identity, spec.bootMode());
    String xml;
    try {
      xml = renderer.render(new GuestDomain(identity, kernel, spec.cmdline(), spec.memory(), spec.vcpus(),
          spec.bootMode(), consoleLog), flavor);
      consoleLogs.prepare();
    } catch (UnsupportedBootModeException e) {
      return fail(current, report, Reason.UnsupportedBootMode, e.getMessage());
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the console log directory: " + e.getMessage(), e);
    }
    consoleLogs.rotate(consoleLog);
    Instant startedAt = clock.instant();
    DomainStatus domain = startOrReport(current, report, () -> hypervisor.defineAndStart(xml));
    consoleWatcher.watch(identity.uid(), ResourceID.fromResource(guest), consoleLog, startedAt);
    String message = "domain " + domain.name() + " runs on XenNode " + nodeName;
    events.record(current, EventRecorder.Type.Normal, Reason.Running, message);
    write(current, report.started(domain.uuid(), report.restartCount(), startedAt)
        .with(UnikernelPhase.Running, Reason.Running, message));
    return UpdateControl.noUpdate();
  }

  /** The domain runs: report it (adopting it if this agent did not start it) with its console output. */
  private UpdateControl<Unikernel> running(Unikernel guest, GuestIdentity identity, ResolvedGuestSpec spec,
      DomainStatus domain, GuestReport report) {
    boolean adopted = !domain.uuid().equals(report.domainUUID()) || report.phase() != UnikernelPhase.Running;
    GuestReport next = report.withDomain(domain.uuid());
    if (adopted) {
      next = next.with(UnikernelPhase.Running, Reason.Adopted,
          "adopted running domain " + domain.name() + " (id " + domain.id() + ")");
    }
    String head = ConsoleHead.read(consoleLogs.pathFor(identity, spec.bootMode()));
    Long bootMillis = consoleWatcher.output(identity.uid())
        .flatMap(ConsoleWatcher.Output::firstLineAfter)
        .map(Duration::toMillis)
        .orElse(null);
    if (bootMillis != null && report.bootDurationMillis() == null) {
      metrics.booted(Duration.ofMillis(bootMillis));
    }
    write(guest, next.withConsole(head, bootMillis));
    return UpdateControl.noUpdate();
  }

  /** The domain is shut off: restart it or settle the guest as Succeeded or Failed, per restartPolicy. */
  private UpdateControl<Unikernel> stopped(Unikernel guest, GuestIdentity identity, ResolvedGuestSpec spec,
      DomainStatus domain, GuestReport report) {
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
      consoleWatcher.forget(identity.uid());
      write(guest, report.with(phase, reason, message)
          .withConsole(ConsoleHead.read(consoleLogs.pathFor(identity, spec.bootMode())), null));
      return UpdateControl.noUpdate();
    }
    Duration wait = report.startTime() == null ? Duration.ZERO
        : Duration.between(clock.instant(), Instant.parse(report.startTime()).plus(RestartRule.backoff(report.restartCount())));
    if (!wait.isNegative() && !wait.isZero()) {
      write(guest, report.with(UnikernelPhase.Booting, Reason.Restarting,
          why + "; restarting in " + wait.toSeconds() + " s (restartPolicy " + spec.restartPolicy() + ")"));
      return UpdateControl.<Unikernel>noUpdate().rescheduleAfter(wait);
    }
    Instant startedAt = clock.instant();
    Path consoleLog = consoleLogs.pathFor(identity, spec.bootMode());
    consoleLogs.rotate(consoleLog);
    DomainStatus restarted = startOrReport(guest, report, () -> hypervisor.start(domain.name()));
    consoleWatcher.watch(identity.uid(), ResourceID.fromResource(guest), consoleLog, startedAt);
    int restarts = report.restartCount() + 1;
    String message = why + "; restarted under restartPolicy " + spec.restartPolicy() + " (restart " + restarts + ")";
    events.record(guest, EventRecorder.Type.Warning, Reason.Restarting, message);
    write(guest, report.started(restarted.uuid(), restarts, startedAt).with(UnikernelPhase.Running, Reason.Running,
        message));
    return UpdateControl.noUpdate();
  }

  @Override
  public DeleteControl cleanup(Unikernel guest, Context<Unikernel> context) {
    GuestIdentity identity = identityOf(guest);
    hypervisor.destroyAndUndefine(DomainNames.of(identity));
    consoleWatcher.forget(identity.uid());
    consoleLogs.delete(identity, guest.getSpec().resolved().bootMode());
    return DeleteControl.defaultDelete();
  }

  private UpdateControl<Unikernel> fail(Unikernel guest, GuestReport report, Reason reason, String message) {
    warnOnce(guest, report, reason, message);
    write(guest, report.with(UnikernelPhase.Failed, reason, message));
    return UpdateControl.noUpdate();
  }

  /** Starts a domain; a libvirt failure becomes the Ready condition and an Event, then is retried. */
  private DomainStatus startOrReport(Unikernel guest, GuestReport report, java.util.function.Supplier<DomainStatus> start) {
    try {
      return start.get();
    } catch (HypervisorException e) {
      warnOnce(guest, report, Reason.DomainError, e.getMessage());
      write(guest, report.with(UnikernelPhase.Booting, Reason.DomainError, e.getMessage()));
      throw e;
    }
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
