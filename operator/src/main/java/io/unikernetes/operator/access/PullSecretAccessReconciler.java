package io.unikernetes.operator.access;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.unikernetes.api.v1alpha1.Unikernel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps each namespace's {@link PullSecretGrants} Role and RoleBinding equal to the Secrets its Unikernels
 * name, so an agent may read a pull Secret once a guest names it and no longer once none does (Kubernetes'
 * Node authorizer does the same for kubelets and Pods). Reconciles a Namespace whenever one of its guests
 * changes; writes only when the grant changed. A namespace with a grant is looked at again every minute, for
 * agents added since (a systemd host's new binding).
 */
public class PullSecretAccessReconciler implements Reconciler<Namespace> {

  static final String FIELD_MANAGER = "unikernetes-operator";
  private static final Duration RECHECK = Duration.ofMinutes(1);

  /** What was last written for a namespace: no grant, or these Secrets for these subjects. */
  private record Grant(SortedSet<String> secrets, List<Subject> subjects) {
    static final Grant NONE = new Grant(new java.util.TreeSet<>(), List.of());
  }

  private final KubernetesClient client;
  private final String agentClusterRole;
  private final Map<String, Grant> written = new ConcurrentHashMap<>();
  private InformerEventSource<Unikernel, Namespace> guests;

  /** {@code agentClusterRole}: the ClusterRole the agents are bound to; its bindings' subjects get the grant. */
  public PullSecretAccessReconciler(KubernetesClient client, String agentClusterRole) {
    this.client = client;
    this.agentClusterRole = agentClusterRole;
  }

  @Override
  public List<EventSource<?, Namespace>> prepareEventSources(EventSourceContext<Namespace> context) {
    guests = new InformerEventSource<>(InformerEventSourceConfiguration.from(Unikernel.class, Namespace.class)
        .withName("pull-secret-guests")
        .withSecondaryToPrimaryMapper(g -> Set.of(new ResourceID(g.getMetadata().getNamespace())))
        .build(), context);
    return List.of(guests);
  }

  @Override
  public UpdateControl<Namespace> reconcile(Namespace namespace, Context<Namespace> context) {
    String name = namespace.getMetadata().getName();
    SortedSet<String> secrets = PullSecretGrants.secretNames(guests.list(name, g -> true));
    if (secrets.isEmpty()) {
      // Unknown after a restart: a grant written before it may be left over, so look once.
      if (written.get(name) != Grant.NONE) {
        client.rbac().roleBindings().inNamespace(name).withName(PullSecretGrants.NAME).delete();
        client.rbac().roles().inNamespace(name).withName(PullSecretGrants.NAME).delete();
        written.put(name, Grant.NONE);
      }
      return UpdateControl.noUpdate();
    }
    List<Subject> subjects = PullSecretGrants.agentSubjects(client.rbac().clusterRoleBindings().list().getItems(),
        agentClusterRole);
    Grant grant = new Grant(secrets, subjects);
    if (!grant.equals(written.get(name))) {
      Role role = PullSecretGrants.role(name, secrets);
      RoleBinding binding = PullSecretGrants.binding(name, subjects);
      client.resource(role).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
      client.resource(binding).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
      written.put(name, grant);
    }
    return UpdateControl.<Namespace>noUpdate().rescheduleAfter(RECHECK);
  }
}
