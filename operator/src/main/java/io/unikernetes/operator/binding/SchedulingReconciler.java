package io.unikernetes.operator.binding;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.unikernetes.api.v1alpha1.Binding;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.XenNodeSpec;
import io.unikernetes.api.v1alpha1.status.XenNodeStatus;
import io.unikernetes.api.v1alpha1.status.ConditionStatus;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.api.v1alpha1.status.UnikernelStatus;
import io.unikernetes.common.events.EventRecorder;
import io.unikernetes.common.status.UnikernelStatusWriter;
import io.unikernetes.operator.metrics.SchedulingMetrics;
import io.unikernetes.operator.nodes.DeletedNodeGuests;
import io.unikernetes.operator.scheduler.Scheduler;
import io.unikernetes.operator.scheduler.SchedulingDecision;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Binds each unbound Unikernel to a XenNode. Binding is the instruction to that node's agent: it watches
 * spec.nodeName and boots once this reconciler confirmed the binding with Scheduled=True. Re-runs for
 * pending guests whenever a XenNode changes in a way that can change placement, and when a bound guest leaves
 * its node (deleted or finished). Guests of a deleted XenNode go to {@link DeletedNodeGuests}: registered with
 * triggerReconcilerOnAllEvents, this controller also sees guests being deleted.
 */
public class SchedulingReconciler implements Reconciler<Unikernel> {

  /** Safety net for pending guests, on top of the XenNode changes and freed capacity that wake them. */
  private static final Duration PENDING_RETRY = Duration.ofSeconds(30);

  private final Binder binder;
  private final NodeUsage usage;
  /**
   * Unbound guests this process has looked at and not bound yet: being decided, or found unschedulable. A node
   * change or freed capacity wakes these, as kube-scheduler moves its unschedulable pods back to the active
   * queue. A guest joins before its decision, so a node that arrives while it is decided still wakes it.
   * Empty after a restart, when every guest is reconciled from the first list anyway.
   */
  private final Set<ResourceID> waiting = ConcurrentHashMap.newKeySet();
  private final UnikernelStatusWriter statusWriter;
  private final DeletedNodeGuests deletedNodes;
  private final EventRecorder events;
  private final SchedulingMetrics metrics;
  private final Clock clock;

  /** A reconciler whose {@link Binder} reads what nodes hold from its cache ({@link #cache()}). */
  public SchedulingReconciler(KubernetesClient client, Scheduler scheduler, UnikernelStatusWriter statusWriter,
      EventRecorder events, SchedulingMetrics metrics, Clock clock) {
    this.usage = new NodeUsage();
    this.binder = new Binder(client, scheduler, usage);
    this.statusWriter = statusWriter;
    this.deletedNodes = new DeletedNodeGuests(client, statusWriter, events, clock);
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Whether a XenNode update can change where guests fit: not a change of status.allocated alone, which the
   * agent patches as its guests come and go and which the scheduler does not read (it keeps its own sums);
   * waking every unbound guest for each would re-run the whole pending backlog every few seconds.
   */
  static boolean mayChangePlacement(XenNode before, XenNode after) {
    return !Objects.equals(placementFields(before.getSpec()), placementFields(after.getSpec()))
        || !Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())
        || !Objects.equals(before.getMetadata().getDeletionTimestamp(), after.getMetadata().getDeletionTimestamp())
        || !Objects.equals(withoutAllocated(before.getStatus()), withoutAllocated(after.getStatus()));
  }

  private static final PrimaryToSecondaryMapper<Unikernel> NO_SECONDARIES = guest -> Set.of();

  /** The spec fields placement reads: not guestSubnet, which the operator writes once on every new node. */
  private static List<Object> placementFields(XenNodeSpec spec) {
    return spec == null ? List.of() : Arrays.asList(spec.getUnschedulable(), spec.getTaints(), spec.getDrain());
  }

  private static XenNodeStatus withoutAllocated(XenNodeStatus status) {
    if (status == null) {
      return null;
    }
    XenNodeStatus copy = new XenNodeStatus();
    copy.setCapacity(status.getCapacity());
    copy.setAllocatable(status.getAllocatable());
    copy.setGuestOverhead(status.getGuestOverhead());
    copy.setHypervisor(status.getHypervisor());
    copy.setLibvirtUri(status.getLibvirtUri());
    copy.setAgentVersion(status.getAgentVersion());
    copy.setConditions(status.getConditions());
    return copy;
  }

  @Override
  public List<EventSource<?, Unikernel>> prepareEventSources(EventSourceContext<Unikernel> context) {
    // A no-op primary-to-secondary mapper: without one, JOSDK keeps an index built by running the
    // secondary-to-primary mapper on every XenNode event.
    AtomicReference<InformerEventSource<XenNode, Unikernel>> source = new AtomicReference<>();
    var nodes = InformerEventSourceConfiguration.from(XenNode.class, Unikernel.class)
        .withSecondaryToPrimaryMapper(node -> affectedGuests(node, source.get(), context))
        .withPrimaryToSecondaryMapper(NO_SECONDARIES)
        .withOnUpdateFilter((newer, older) -> mayChangePlacement(older, newer))
        .build();
    source.set(new InformerEventSource<>(nodes, context));
    // A bound guest leaving its node (gone or finished) wakes the waiting ones, as kube-scheduler requeues
    // unschedulable pods when an assigned pod is deleted: the capacity it held is free now.
    WakeUps capacityFreed = new WakeUps("capacity-freed", () -> waitingGuests(context));
    usage.onCapacityFreed(capacityFreed::wakeSoon);
    metrics.observeGuests(() -> context.getPrimaryCache().list());
    return List.of(source.get(), capacityFreed);
  }

  /**
   * The guests a XenNode event concerns: the waiting ones, and, when the node is gone from the cache (the
   * informer removes it before it tells of a deletion), the guests that name it, a scan of every guest on a
   * rare event.
   */
  private Set<ResourceID> affectedGuests(XenNode node, InformerEventSource<XenNode, Unikernel> nodes,
      EventSourceContext<Unikernel> context) {
    Set<ResourceID> guests = waitingGuests(context);
    if (nodes == null || nodes.get(ResourceID.fromResource(node)).isPresent()) {
      return guests;
    }
    String name = node.getMetadata().getName();
    return Stream.concat(guests.stream(), context.getPrimaryCache().list()
            .filter(g -> g.getSpec() != null && name.equals(g.getSpec().getNodeName())).map(ResourceID::fromResource))
        .collect(Collectors.toSet());
  }

  /** The controller's cache, which keeps the per-node sums: register the controller with it as item store. */
  public ItemStore<Unikernel> cache() {
    return usage;
  }

  /**
   * The guests to wake when a node changes or capacity is freed: those waiting in {@link #waiting} that the cache
   * still shows unbound (others are dropped from it). Not a scan of every guest: at a cluster's start every
   * listed node's add event would wake every pending guest, a million wake-ups for 10,000 guests on 100 nodes in
   * issue 12's benchmark, while guests not yet looked at are queued by their own events anyway.
   */
  private Set<ResourceID> waitingGuests(EventSourceContext<Unikernel> context) {
    waiting.removeIf(id -> context.getPrimaryCache().get(id)
        .filter(g -> Binding.boundNode(g).isEmpty() && !Binding.isTerminal(g)
            && g.getMetadata().getDeletionTimestamp() == null)
        .isEmpty());
    return Set.copyOf(waiting);
  }

  @Override
  public UpdateControl<Unikernel> reconcile(Unikernel guest, Context<Unikernel> context) {
    if (!context.isPrimaryResourceDeleted()) {
      return place(guest, context);
    }
    // A guest of the same name created since: JOSDK may have folded its add event into this delete's pass.
    ResourceID id = ResourceID.fromResource(guest);
    Optional<Unikernel> recreated = context.getPrimaryCache().get(id)
        .filter(g -> !g.getMetadata().getUid().equals(guest.getMetadata().getUid()));
    if (recreated.isEmpty()) {
      waiting.remove(id);
      return UpdateControl.noUpdate();
    }
    return place(context.getControllerConfiguration().getConfigurationService().getResourceCloner()
        .clone(recreated.get()), context);
  }

  /** Binds {@code guest} (a copy JOSDK made) if it is unbound, or confirms its binding; see the class comment. */
  private UpdateControl<Unikernel> place(Unikernel guest, Context<Unikernel> context) {
    ResourceID id = ResourceID.fromResource(guest);
    @SuppressWarnings("unchecked")
    var nodes = (InformerEventSource<XenNode, Unikernel>) context.eventSourceRetriever()
        .getEventSourceFor(XenNode.class);
    if (ofDeletedNode(guest, Optional.ofNullable(guest.getSpec() == null ? null : guest.getSpec().getNodeName()),
        nodes)) {
      waiting.remove(id);
      return UpdateControl.noUpdate();
    }
    if (Binding.isTerminal(guest) || guest.getMetadata().getDeletionTimestamp() != null) {
      waiting.remove(id);
      return UpdateControl.noUpdate();
    }
    UnikernelStatus before = guest.getStatus() == null ? new UnikernelStatus() : guest.getStatus().copy();
    Unikernel current = guest;
    SchedulingDecision decision = null;
    Optional<String> bound = Binding.boundNode(guest).or(() -> binder.ownBinding(guest));
    if (bound.isEmpty()) {
      waiting.add(id);
      Binder.Result result = binder.bind(guest, nodes.list(), context.getPrimaryCache());
      current = result.guest();
      decision = result.decision();
    }
    if (decision != null) {
      report(current, before, decision);
    }
    if (bound.isPresent() || decision instanceof SchedulingDecision.Bind) {
      waiting.remove(id);
    }
    Unikernel written = current;
    SchedulingDecision made = decision;
    Optional<String> node = decision instanceof SchedulingDecision.Bind bind ? Optional.of(bind.node()) : bound;
    Unikernel confirmed = statusWriter.write(current, status -> desiredStatus(written, status, made, node));
    // A node deleted while its binding was confirmed: the deletion's pass may have read the guest from before the
    // confirmation, and the confirmation is a status change, which this controller is not woken for.
    ofDeletedNode(confirmed, Binding.boundNode(confirmed), nodes);
    return decision instanceof SchedulingDecision.Unschedulable
        ? UpdateControl.<Unikernel>noUpdate().rescheduleAfter(PENDING_RETRY)
        : UpdateControl.noUpdate();
  }

  /**
   * Hands {@code guest} to {@link DeletedNodeGuests} when {@code node} names a XenNode the cache lacks; whether
   * nothing is left to do for it (a guest gone meanwhile included).
   */
  private boolean ofDeletedNode(Unikernel guest, Optional<String> node, InformerEventSource<XenNode, Unikernel> nodes) {
    if (node.isEmpty() || nodes.get(new ResourceID(node.get())).isPresent()) {
      return false;
    }
    try {
      return deletedNodes.handle(guest, node.get());
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return true;
      }
      throw e;
    }
  }

  /** Status from the binding alone; once bound, the node's agent owns the phase. */
  private UnikernelStatus desiredStatus(Unikernel guest, UnikernelStatus status, SchedulingDecision decision,
      Optional<String> bound) {
    Long generation = guest.getMetadata().getGeneration();
    Instant now = clock.instant();
    if (bound.isPresent()) {
      status.setNodeName(bound.get());
      if (status.getPhase() == null || status.getPhase() == UnikernelPhase.Pending) {
        status.setPhase(UnikernelPhase.Scheduled);
        status.setObservedGeneration(generation);
      }
      if (!Conditions.isTrue(status.getConditions(), ConditionType.Scheduled)) {
        String message = decision == null ? "bound to XenNode " + bound.get() : decision.message();
        status.setConditions(Conditions.with(status.getConditions(), ConditionType.Scheduled, ConditionStatus.True,
            Reason.Bound, message, generation, now));
      }
    } else if (decision instanceof SchedulingDecision.Unschedulable pending
        && !Conditions.isTrue(status.getConditions(), ConditionType.Scheduled)) {
      // A confirmed binding is never taken back: a decision made from a stale object (the status write then
      // starts again from the stored one, which shows the binding) must not turn it into Pending.
      status.setPhase(UnikernelPhase.Pending);
      status.setObservedGeneration(generation);
      status.setConditions(Conditions.with(status.getConditions(), ConditionType.Scheduled, ConditionStatus.False,
          pending.reason(), pending.message(), generation, now));
    }
    return status;
  }

  /** Events and metrics for a decision; a repeated unschedulable message is not re-announced. */
  private void report(Unikernel guest, UnikernelStatus before, SchedulingDecision decision) {
    if (decision instanceof SchedulingDecision.Bind bind) {
      Instant created = Instant.parse(guest.getMetadata().getCreationTimestamp());
      metrics.bound(Duration.between(created, clock.instant()));
      events.record(guest, EventRecorder.Type.Normal, Reason.Bound, bind.message());
      return;
    }
    metrics.unschedulable();
    String previous = Conditions.find(before.getConditions(), ConditionType.Scheduled)
        .map(c -> c.getMessage()).orElse(null);
    if (!Objects.equals(previous, decision.message())) {
      Reason reason = ((SchedulingDecision.Unschedulable) decision).reason();
      events.record(guest, EventRecorder.Type.Warning, reason, decision.message());
    }
  }
}
