package io.unikernetes.e2e.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.e2e.support.TestEnvironment;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local control plane behaves like a cluster: RBAC is enforced, owned objects are garbage-collected. */
class ControlPlaneIT {

  private static final String NS = "control-plane";

  @Test
  void objectsOwnedByAUnikernelAreGarbageCollectedWithIt() throws Exception {
    TestEnvironment env = TestEnvironment.get();
    env.createNamespace(NS);
    var client = env.client();
    Unikernel owner = client.resource(Guests.guest(NS, "owner", new ImageSource("https://x.org/k.elf", "ab".repeat(32)),
        "32Mi", Map.of("pool", "nowhere"))).create();
    ConfigMap owned = client.resource(new ConfigMapBuilder()
        .withNewMetadata().withName("owned").withNamespace(NS)
          .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion())
              .withKind(owner.getKind()).withName("owner").withUid(owner.getMetadata().getUid()).build())
        .endMetadata().withData(Map.of("k", "v")).build()).create();
    assertThat(owned).isNotNull();

    client.resource(owner).delete();
    await().atMost(Duration.ofSeconds(60))
        .until(() -> client.configMaps().inNamespace(NS).withName("owned").get() == null);
  }

  @Test
  void rbacIsEnforced() throws Exception {
    TestEnvironment env = TestEnvironment.get();
    var result = env.cluster().kubectl(null, "auth", "can-i", "list", "unikernels",
        "--as=system:serviceaccount:default:nobody");
    assertThat(result.stdout().trim()).isEqualTo("no");
    var admin = env.cluster().kubectl(null, "auth", "can-i", "list", "unikernels");
    assertThat(admin.stdout().trim()).isEqualTo("yes");
  }
}
