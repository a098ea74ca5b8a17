package io.unikernetes.operator.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.spec.UnikernelSpec;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PullSecretGrantsTest {

  private static Unikernel guest(String... secrets) {
    Unikernel guest = new Unikernel();
    guest.setSpec(new UnikernelSpec());
    if (secrets.length > 0) {
      guest.getSpec().setImagePullSecrets(Stream.of(secrets).map(LocalObjectReference::new).toList());
    }
    return guest;
  }

  @Test
  void theRoleGrantsGetOnExactlyTheNamedSecrets() {
    var names = PullSecretGrants.secretNames(Stream.of(guest("b", "a"), guest(), guest("a")));
    assertThat(names).containsExactly("a", "b");
    var role = PullSecretGrants.role("team", names);
    assertThat(role.getMetadata().getName()).isEqualTo(PullSecretGrants.NAME);
    assertThat(role.getRules()).singleElement().satisfies(rule -> {
      assertThat(rule.getResources()).containsExactly("secrets");
      assertThat(rule.getVerbs()).containsExactly("get");
      assertThat(rule.getResourceNames()).containsExactly("a", "b");
    });
  }

  @Test
  void subjectsComeFromEveryBindingOfTheAgentsClusterRole() {
    List<ClusterRoleBinding> bindings = List.of(
        binding("agent", "ServiceAccount", "uk-agent"),
        binding("agent", "ServiceAccount", "uk-agent.host-2"),
        binding("operator", "ServiceAccount", "uk-operator"),
        binding("agent", "ServiceAccount", "uk-agent"));
    assertThat(PullSecretGrants.agentSubjects(bindings, "agent")).extracting(Subject::getName)
        .containsExactly("uk-agent", "uk-agent.host-2");
    var binding = PullSecretGrants.binding("team", PullSecretGrants.agentSubjects(bindings, "agent"));
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName()).isEqualTo(PullSecretGrants.NAME);
  }

  private static ClusterRoleBinding binding(String role, String kind, String name) {
    return new ClusterRoleBindingBuilder().withNewMetadata().withName(name + "-" + role).endMetadata()
        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role)
        .addNewSubject().withKind(kind).withName(name).withNamespace("unikernetes").endSubject().build();
  }
}
