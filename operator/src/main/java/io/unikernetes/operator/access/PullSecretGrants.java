package io.unikernetes.operator.access;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.unikernetes.api.v1alpha1.Unikernel;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What lets the agents read a namespace's image pull Secrets and nothing else there: a Role granting get on
 * exactly the Secrets the namespace's Unikernels name in spec.imagePullSecrets, bound to the subjects of the
 * agents' ClusterRole bindings (the chart's DaemonSet account, or one account per systemd host). Pure.
 */
public final class PullSecretGrants {

  /** Name of the Role and the RoleBinding in each namespace that needs them. */
  public static final String NAME = "unikernetes-image-pull-secrets";
  static final Map<String, String> LABELS = Map.of("app.kubernetes.io/managed-by", "unikernetes-operator",
      "app.kubernetes.io/component", "image-pull-secrets");

  private PullSecretGrants() {
  }

  /** The Secret names {@code guests} pull with, sorted. */
  public static SortedSet<String> secretNames(Stream<Unikernel> guests) {
    SortedSet<String> names = new TreeSet<>();
    guests.map(g -> g.getSpec() == null ? null : g.getSpec().getImagePullSecrets()).filter(Objects::nonNull)
        .flatMap(List::stream).map(LocalObjectReference::getName)
        .filter(n -> n != null && !n.isEmpty()).forEach(names::add);
    return names;
  }

  /** The subjects bound to {@code agentClusterRole} by any of {@code bindings}, without repeats, sorted. */
  public static List<Subject> agentSubjects(List<ClusterRoleBinding> bindings, String agentClusterRole) {
    return bindings.stream()
        .filter(b -> b.getRoleRef() != null && "ClusterRole".equals(b.getRoleRef().getKind())
            && agentClusterRole.equals(b.getRoleRef().getName()) && b.getSubjects() != null)
        .flatMap(b -> b.getSubjects().stream())
        .map(s -> new Subject(s.getApiGroup(), s.getKind(), s.getName(), s.getNamespace()))
        .distinct()
        .sorted(Comparator.comparing(Subject::getKind).thenComparing(Subject::getName)
            .thenComparing(s -> String.valueOf(s.getNamespace())))
        .toList();
  }

  public static Role role(String namespace, SortedSet<String> secretNames) {
    return new RoleBuilder().withNewMetadata().withName(NAME).withNamespace(namespace).withLabels(LABELS)
        .endMetadata()
        .withRules(new PolicyRuleBuilder().withApiGroups("").withResources("secrets")
            .withResourceNames(List.copyOf(secretNames)).withVerbs("get").build())
        .build();
  }

  public static RoleBinding binding(String namespace, List<Subject> subjects) {
    return new RoleBindingBuilder().withNewMetadata().withName(NAME).withNamespace(namespace).withLabels(LABELS)
        .endMetadata()
        .withNewRoleRef("rbac.authorization.k8s.io", "Role", NAME)
        .withSubjects(subjects)
        .build();
  }
}
