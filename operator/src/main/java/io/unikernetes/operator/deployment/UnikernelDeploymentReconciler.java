package io.unikernetes.operator.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.unikernetes.api.v1alpha1.ApiGroup;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.UnikernelDeployment;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.spec.RolloutStrategy;
import io.unikernetes.api.v1alpha1.spec.UnikernelDeploymentSpec;
import io.unikernetes.api.v1alpha1.spec.UnikernelSpec;
import io.unikernetes.api.v1alpha1.status.Condition;
import io.unikernetes.api.v1alpha1.status.ConditionStatus;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.api.v1alpha1.status.UnikernelDeploymentStatus;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.common.client.MergePatch;
import io.unikernetes.common.events.EventRecorder;
import io.unikernetes.operator.scaletozero.DeploymentKey;
import io.unikernetes.operator.scaletozero.IdlePolicy;
import io.unikernetes.operator.scaletozero.IdleScaler;
import io.unikernetes.operator.scaletozero.Wakes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs N replicas of a template: creates and deletes the deployment's Unikernels (owned, named by template
 * hash) one rollout step at a time, and reports counts and Available / Progressing.
 */
public class UnikernelDeploymentReconciler implements Reconciler<UnikernelDeployment> {

  /** How often an unfinished rollout is looked at again, to notice readiness age and the deadline. */
  private static final Duration ROLLOUT_RECHECK = Duration.ofSeconds(5);

  private final EventRecorder events;
  private final Clock clock;
  private final IdleScaler idle;
  private final Wakes wakes;
  private final DeploymentTriggers triggers = new DeploymentTriggers();
  /** Per deployment UID: guests deleted here that the informer may still show without a deletion timestamp. */
  private final Map<String, Set<String>> deleting = new ConcurrentHashMap<>();
  /**
   * Per deployment UID, by guest UID: guests created here that the informer may not show yet, counted as
   * existing until it does (a ReplicaSet's "expectations"): a pass run on the create events of the first
   * guests of a batch would otherwise create the rest again.
   */
  private final Map<String, Map<String, Created>> creating = new ConcurrentHashMap<>();

  /** A guest this process created, and when (by its own clock: the API server's may differ). */
  private record Created(Unikernel guest, Instant at) {
  }
  /** How long a created guest the informer never showed (deleted at once) is still counted. */
  private static final Duration CREATE_EXPECTATION = Duration.ofMinutes(1);
  /** How often the scale-to-zero state of deleted deployments is dropped (no event tells of a deletion). */
  private static final Duration SWEEP_PERIOD = Duration.ofMinutes(1);
  private final AtomicReference<Instant> nextSweep = new AtomicReference<>(Instant.MIN);
  private InformerEventSource<Unikernel, UnikernelDeployment> guestsSource;
  private InformerEventSource<XenNode, UnikernelDeployment> nodesSource;

  /**
   * @param idle scales idle scale-to-zero deployments down
   * @param wakes the activator's wakes, whose results go to status.lastWake
   */
  public UnikernelDeploymentReconciler(EventRecorder events, Clock clock, IdleScaler idle, Wakes wakes) {
    this.events = events;
    this.clock = clock;
    this.idle = idle;
    this.wakes = wakes;
  }

  @Override
  public List<EventSource<?, UnikernelDeployment>> prepareEventSources(EventSourceContext<UnikernelDeployment> context) {
    guestsSource = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(Unikernel.class, UnikernelDeployment.class)
        .withName("deployment-guests")
        // Only the guests deployments made (they all carry the template hash): a cluster's other guests would
        // cost this informer a decoded object per event for nothing. As with a Pod whose labels leave its
        // ReplicaSet's selector, a guest whose template-hash label is removed leaves its deployment, which
        // replaces it; it keeps running (and its ownerReference, so it goes when the deployment does).
        .withLabelSelector(ApiGroup.TEMPLATE_HASH_LABEL)
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(UnikernelDeployment.class))
        .build(), context);
    // A node being drained moves every deployment with guests there; only spec changes can start a drain.
    nodesSource = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(XenNode.class, UnikernelDeployment.class)
        .withName("deployment-nodes")
        .withOnUpdateFilter((before, after) -> !Objects.equals(before.getSpec(), after.getSpec()))
        .withSecondaryToPrimaryMapper(node -> context.getPrimaryCache().list()
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        // No index from deployments to nodes: JOSDK would run the mapper above on every XenNode event to build it.
        .withPrimaryToSecondaryMapper((UnikernelDeployment deployment) -> Set.of())
        .build(), context);
    // An autoscaler asking for replicas keeps a scale-to-zero deployment up.
    var autoscalers = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(HorizontalPodAutoscaler.class, UnikernelDeployment.class)
        .withName("deployment-autoscalers")
        .withSecondaryToPrimaryMapper(UnikernelDeploymentReconciler::scaleTarget)
        .build(), context);
    wakes.attach(key -> context.getPrimaryCache().get(new ResourceID(key.name(), key.namespace())),
        key -> triggers.trigger(new ResourceID(key.name(), key.namespace())));
    return List.of(guestsSource, nodesSource, autoscalers, triggers);
  }

  @Override
  public UpdateControl<UnikernelDeployment> reconcile(UnikernelDeployment deployment,
      Context<UnikernelDeployment> context) {
    UnikernelDeploymentSpec spec = deployment.getSpec();
    Instant now = clock.instant();
    // The API server rejects both cases; objects stored under an older CRD may still hold them.
    Optional<String> conflict = selectorConflict(spec);
    if (conflict.isPresent()) {
      return invalid(deployment, Reason.InvalidSelector, conflict.get(), now, context);
    }
    int replicas = orDefault(spec.getReplicas(), 1);
    String revision = TemplateHash.of(spec.getTemplate());
    RolloutPlan.Bounds bounds;
    try {
      bounds = bounds(spec.getStrategy(), replicas);
    } catch (IllegalArgumentException e) {
      return invalid(deployment, Reason.InvalidRolloutStrategy, e.getMessage(), now, context);
    }
    Duration minReady = Duration.ofSeconds(orDefault(spec.getMinReadySeconds(), 0));

    List<Unikernel> guests = ownedGuests(deployment, context);
    Set<String> draining = nodesSource.list().filter(n -> n.getSpec() != null && n.getSpec().isDraining())
        .map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
    Map<String, GuestView> views = new HashMap<>();
    guests.forEach(g -> views.put(g.getMetadata().getName(), view(g, revision, draining, minReady, now)));
    RolloutStrategy.Type type = spec.getStrategy() == null || spec.getStrategy().getType() == null
        ? RolloutStrategy.Type.RollingUpdate : spec.getStrategy().getType();
    RolloutPlan plan = RolloutPlan.plan(replicas, type, bounds, List.copyOf(views.values()),
        orDefault(spec.getRevisionHistoryLimit(), 10));

    apply(deployment, plan, revision, guests, context);

    List<GuestView> afterPlan = views.values().stream().filter(v -> !plan.delete().contains(v.name())).toList();
    var facts = new DeploymentStatusRules.Facts(replicas, Math.max(0, replicas - bounds.unavailable()), revision,
        selectorString(spec), deployment.getMetadata().getGeneration(),
        (int) afterPlan.stream().filter(v -> !v.finished()).count() + plan.create(),
        (int) afterPlan.stream().filter(v -> v.current() && !v.finished()).count() + plan.create(),
        (int) guests.stream().filter(g -> !plan.delete().contains(g.getMetadata().getName())).filter(this::isReady).count(),
        (int) afterPlan.stream().filter(GuestView::available).count(),
        afterPlan.stream().anyMatch(v -> !v.current() && v.holdsSlot()),
        guests.stream().filter(g -> views.get(g.getMetadata().getName()).failedBeforeRunning()
            && views.get(g.getMetadata().getName()).current()).toList(),
        Duration.ofSeconds(orDefault(spec.getProgressDeadlineSeconds(), 600)));
    UnikernelDeploymentStatus status = DeploymentStatusRules.compute(deployment.getStatus(), facts, now);
    Optional<Duration> idleCheck = scaleToZero(deployment, replicas, guests, status, context, now);
    writeStatus(deployment, status, context);
    Optional<Duration> recheck = facts.complete() ? idleCheck : Optional.of(ROLLOUT_RECHECK);
    return recheck.map(UpdateControl.<UnikernelDeployment>noUpdate()::rescheduleAfter)
        .orElseGet(UpdateControl::noUpdate);
  }

  /**
   * The ScaledToZero condition and lastWake of a scale-to-zero deployment (scaled down here when idle), and
   * when to look again; a deployment without spec.scaleToZero loses both.
   */
  private Optional<Duration> scaleToZero(UnikernelDeployment deployment, int replicas, List<Unikernel> guests,
      UnikernelDeploymentStatus status, Context<UnikernelDeployment> context, Instant now) {
    sweepDeleted(context, now);
    if (deployment.getSpec().getScaleToZero() == null) {
      idle.forget(DeploymentKey.of(deployment));
      wakes.forget(DeploymentKey.of(deployment));
      status.setConditions(status.getConditions().stream()
          .filter(c -> !ConditionType.ScaledToZero.name().equals(c.getType())).toList());
      status.setLastWake(null);
      return Optional.empty();
    }
    String period = activityReportSeconds(deployment);
    guests.stream().filter(g -> !period.equals(annotation(g, ApiGroup.ACTIVITY_REPORT_ANNOTATION)))
        .forEach(g -> annotate(g, period, context));
    // Traffic the nodes reported, and guests turning Ready: a guest that just came up has not been idle.
    Optional<Instant> guestActivity = guests.stream().filter(g -> g.getStatus() != null)
        .flatMap(g -> Stream.of(g.getStatus().getLastActivityTime(),
            Conditions.find(g.getStatus().getConditions(), ConditionType.Ready)
                .filter(c -> c.getStatus() == ConditionStatus.True).map(Condition::getLastTransitionTime)
                .orElse(null)))
        .filter(Objects::nonNull).map(Instant::parse).max(Instant::compareTo);
    boolean draining = deployment.getStatus() != null && Conditions.find(deployment.getStatus().getConditions(),
        ConditionType.ScaledToZero).map(c -> Reason.Draining.name().equals(c.getReason())).orElse(false);
    IdlePolicy.Decision decision = idle.reconcile(deployment, replicas, draining, guestActivity,
        context.getSecondaryResources(HorizontalPodAutoscaler.class), now);
    status.setConditions(Conditions.with(status.getConditions(), ConditionType.ScaledToZero,
        ConditionStatus.of(decision.scaledToZero()), decision.reason(), decision.message(),
        deployment.getMetadata().getGeneration(), now));
    status.setLastWake(wakes.lastWake(DeploymentKey.of(deployment))
        .orElse(deployment.getStatus() == null ? null : deployment.getStatus().getLastWake()));
    return decision.recheckIn();
  }

  /**
   * Drops what the idle scaler and the wakes keep of deployments the cache no longer holds, at most once per
   * {@link #SWEEP_PERIOD}: the controller has no finalizer (deleting a deployment must not wait for this
   * process), so it is not called when one goes.
   */
  private void sweepDeleted(Context<UnikernelDeployment> context, Instant now) {
    Instant due = nextSweep.get();
    if (now.isBefore(due) || !nextSweep.compareAndSet(due, now.plus(SWEEP_PERIOD))) {
      return;
    }
    Predicate<DeploymentKey> live = key -> context.getPrimaryCache()
        .get(new ResourceID(key.name(), key.namespace())).isPresent();
    idle.retain(live);
    wakes.retain(live);
  }

  /** The annotation that tells nodes how often to report a guest's traffic ({@link IdleScaler#reportPeriod}). */
  static String activityReportSeconds(UnikernelDeployment deployment) {
    return String.valueOf(IdleScaler.reportPeriod(deployment.getSpec().getScaleToZero()).toSeconds());
  }

  private static String annotation(Unikernel guest, String key) {
    return guest.getMetadata().getAnnotations() == null ? null : guest.getMetadata().getAnnotations().get(key);
  }

  /** Sets the activity report period on a guest made before scale-to-zero was on (or with another period). */
  private static void annotate(Unikernel guest, String period, Context<UnikernelDeployment> context) {
    if (guest.getMetadata().getUid() == null || guest.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    MergePatch.apply(context.getClient(), Unikernel::new, guest.getMetadata().getNamespace(),
        guest.getMetadata().getName(), "{\"metadata\":{\"annotations\":{\"" + ApiGroup.ACTIVITY_REPORT_ANNOTATION
            + "\":\"" + period + "\"}}}");
  }

  /** The deployment an autoscaler scales, if it scales one of ours. */
  private static Set<ResourceID> scaleTarget(HorizontalPodAutoscaler autoscaler) {
    var target = autoscaler.getSpec() == null ? null : autoscaler.getSpec().getScaleTargetRef();
    if (target == null || !UnikernelDeployment.class.getSimpleName().equals(target.getKind())
        || target.getApiVersion() == null || !target.getApiVersion().startsWith(ApiGroup.NAME + "/")) {
      return Set.of();
    }
    return Set.of(new ResourceID(target.getName(), autoscaler.getMetadata().getNamespace()));
  }

  private UpdateControl<UnikernelDeployment> invalid(UnikernelDeployment deployment, Reason reason, String message,
      Instant now, Context<UnikernelDeployment> context) {
    if (!Conditions.find(deployment.getStatus() == null ? null : deployment.getStatus().getConditions(),
        ConditionType.Stalled).map(c -> message.equals(c.getMessage())).orElse(false)) {
      events.record(deployment, EventRecorder.Type.Warning, reason, message);
    }
    writeStatus(deployment, DeploymentStatusRules.invalid(deployment.getStatus(), reason, message,
        deployment.getMetadata().getGeneration(), now), context);
    return UpdateControl.noUpdate();
  }

  /** One status write per pass, only when it changed, guarded by resourceVersion (a conflict retries the pass). */
  private static void writeStatus(UnikernelDeployment deployment, UnikernelDeploymentStatus status,
      Context<UnikernelDeployment> context) {
    if (!status.equals(deployment.getStatus())) {
      deployment.setStatus(status);
      context.getClient().resource(deployment).updateStatus();
    }
  }

  private void apply(UnikernelDeployment deployment, RolloutPlan plan, String revision, List<Unikernel> guests,
      Context<UnikernelDeployment> context) {
    var client = context.getClient();
    String namespace = deployment.getMetadata().getNamespace();
    for (String name : plan.delete()) {
      guests.stream().filter(g -> g.getMetadata().getName().equals(name)).findFirst().ifPresent(g -> {
        deleting.computeIfAbsent(deployment.getMetadata().getUid(), k -> ConcurrentHashMap.newKeySet())
            .add(g.getMetadata().getUid());
        creating.getOrDefault(deployment.getMetadata().getUid(), Map.of()).remove(g.getMetadata().getUid());
        client.resource(g).delete();
      });
    }
    for (int i = 0; i < plan.create(); i++) {
      Unikernel created = client.resource(newGuest(deployment, revision)).create();
      creating.computeIfAbsent(deployment.getMetadata().getUid(), k -> new ConcurrentHashMap<>())
          .put(created.getMetadata().getUid(), new Created(created, clock.instant()));
      guestsSource.handleRecentResourceCreate(ResourceID.fromResource(deployment), created);
    }
    if (plan.create() > 0) {
      events.record(deployment, EventRecorder.Type.Normal, Reason.GuestCreated,
          "created " + plan.create() + " guest(s) of revision " + revision);
    }
    if (!plan.delete().isEmpty()) {
      events.record(deployment, EventRecorder.Type.Normal, Reason.GuestDeleted,
          "deleted " + plan.delete().size() + " guest(s): " + String.join(", ", plan.delete()));
    }
  }

  /** Why the template's labels contradict the selector, if they do (the API server cannot afford this check). */
  private static Optional<String> selectorConflict(UnikernelDeploymentSpec spec) {
    Map<String, String> labels = spec.getTemplate().getMetadata() == null
        || spec.getTemplate().getMetadata().getLabels() == null ? Map.of() : spec.getTemplate().getMetadata().getLabels();
    return spec.getSelector().getMatchLabels().entrySet().stream()
        .filter(e -> labels.containsKey(e.getKey()) && !labels.get(e.getKey()).equals(e.getValue()))
        .findFirst()
        .map(e -> "template.metadata.labels[" + e.getKey() + "] is '" + labels.get(e.getKey())
            + "' but spec.selector.matchLabels wants '" + e.getValue() + "': make them agree");
  }

  /** The deployment's guests, without those already on their way out. */
  private List<Unikernel> ownedGuests(UnikernelDeployment deployment, Context<UnikernelDeployment> context) {
    String uid = deployment.getMetadata().getUid();
    List<Unikernel> owned = context.getSecondaryResources(Unikernel.class).stream()
        .filter(g -> g.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> uid.equals(o.getUid()) && Boolean.TRUE.equals(o.getController())))
        .toList();
    Set<String> stillListed = owned.stream().filter(g -> g.getMetadata().getDeletionTimestamp() == null)
        .map(g -> g.getMetadata().getUid()).collect(Collectors.toSet());
    Set<String> ours = deleting.computeIfAbsent(uid, k -> ConcurrentHashMap.newKeySet());
    ours.retainAll(stillListed);
    Set<String> listed = owned.stream().map(g -> g.getMetadata().getUid()).collect(Collectors.toSet());
    Map<String, Created> unseen = creating.computeIfAbsent(uid, k -> new ConcurrentHashMap<>());
    Instant expired = clock.instant().minus(CREATE_EXPECTATION);
    unseen.values().removeIf(c -> listed.contains(c.guest().getMetadata().getUid()) || c.at().isBefore(expired));
    List<Unikernel> current = new ArrayList<>(owned.stream()
        .filter(g -> g.getMetadata().getDeletionTimestamp() == null && !ours.contains(g.getMetadata().getUid()))
        .toList());
    unseen.values().forEach(c -> current.add(c.guest()));
    return current;
  }

  /** A guest on a draining node counts as out of date: the rollout replaces it like an old revision. */
  private GuestView view(Unikernel guest, String revision, Set<String> drainingNodes, Duration minReady,
      Instant now) {
    var status = guest.getStatus();
    UnikernelPhase phase = status == null ? null : status.getPhase();
    Optional<Condition> ready = status == null ? Optional.empty()
        : Conditions.find(status.getConditions(), ConditionType.Ready);
    boolean available = isReady(guest) && ready.map(c -> !Instant.parse(c.getLastTransitionTime()).plus(minReady)
        .isAfter(now)).orElse(false);
    boolean finished = phase != null && phase.isTerminal();
    boolean neverRan = phase == UnikernelPhase.Failed && status.getStartTime() == null;
    Map<String, String> labels = guest.getMetadata().getLabels();
    boolean current = labels != null && revision.equals(labels.get(ApiGroup.TEMPLATE_HASH_LABEL))
        && !drainingNodes.contains(guest.getSpec().getNodeName());
    boolean lost = ready.map(c -> c.getStatus() == ConditionStatus.Unknown && Reason.NodeLost.name().equals(c.getReason()))
        .orElse(false);
    return new GuestView(guest.getMetadata().getName(), current && !lost, available, neverRan, finished, lost,
        Instant.parse(guest.getMetadata().getCreationTimestamp()));
  }

  private boolean isReady(Unikernel guest) {
    return guest.getStatus() != null && guest.getStatus().getPhase() == UnikernelPhase.Running
        && Conditions.isTrue(guest.getStatus().getConditions(), ConditionType.Ready);
  }

  private static Unikernel newGuest(UnikernelDeployment deployment, String revision) {
    var template = deployment.getSpec().getTemplate();
    Unikernel guest = new Unikernel();
    guest.getMetadata().setNamespace(deployment.getMetadata().getNamespace());
    guest.getMetadata().setGenerateName(deployment.getMetadata().getName() + "-" + revision + "-");
    Map<String, String> labels = new HashMap<>(template.getMetadata() == null
        || template.getMetadata().getLabels() == null ? Map.of() : template.getMetadata().getLabels());
    labels.putAll(deployment.getSpec().getSelector().getMatchLabels());
    labels.put(ApiGroup.TEMPLATE_HASH_LABEL, revision);
    guest.getMetadata().setLabels(labels);
    Map<String, String> annotations = new HashMap<>(template.getMetadata() == null
        || template.getMetadata().getAnnotations() == null ? Map.of() : template.getMetadata().getAnnotations());
    if (deployment.getSpec().getScaleToZero() != null) {
      annotations.put(ApiGroup.ACTIVITY_REPORT_ANNOTATION, activityReportSeconds(deployment));
    }
    guest.getMetadata().setAnnotations(annotations.isEmpty() ? null : annotations);
    guest.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
        .withApiVersion(deployment.getApiVersion()).withKind(deployment.getKind())
        .withName(deployment.getMetadata().getName()).withUid(deployment.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true).build()));
    guest.setSpec(UnikernelSpec.of(template.getSpec()));
    return guest;
  }

  /** maxSurge rounds up, maxUnavailable down, as for Deployments; both 0 would deadlock, so unavailable is 1. */
  static RolloutPlan.Bounds bounds(RolloutStrategy strategy, int replicas) {
    var rolling = strategy == null ? null : strategy.getRollingUpdate();
    int surge = resolve("maxSurge", rolling == null ? null : rolling.getMaxSurge(), replicas, true);
    int unavailable = resolve("maxUnavailable", rolling == null ? null : rolling.getMaxUnavailable(), replicas, false);
    if (surge == 0 && unavailable == 0) {
      unavailable = 1;
    }
    return new RolloutPlan.Bounds(surge, unavailable);
  }

  /** A count or percentage as a guest count; IllegalArgumentException naming the field when it is neither. */
  private static int resolve(String field, IntOrString value, int replicas, boolean roundUp) {
    if (value == null) {
      value = new IntOrString("25%");
    }
    if (value.getIntVal() != null) {
      return Math.max(0, value.getIntVal());
    }
    String text = value.getStrVal().trim();
    try {
      if (!text.endsWith("%")) {
        return Math.max(0, Integer.parseInt(text));
      }
      double exact = replicas * Integer.parseInt(text.substring(0, text.length() - 1)) / 100.0;
      return (int) (roundUp ? Math.ceil(exact) : Math.floor(exact));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("spec.strategy.rollingUpdate." + field + " is '" + text
          + "': use a number of guests (e.g. 1) or a percentage of replicas (e.g. 25%)", e);
    }
  }

  private static String selectorString(UnikernelDeploymentSpec spec) {
    return spec.getSelector().getMatchLabels().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
