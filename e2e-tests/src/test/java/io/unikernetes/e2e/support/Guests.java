package io.unikernetes.e2e.support;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.spec.RestartPolicy;
import io.unikernetes.api.v1alpha1.spec.UnikernelSpec;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import java.time.Duration;
import java.util.Map;

/** Building, reading and waiting for Unikernels in tests. */
public final class Guests {

  private Guests() {
  }

  public static Unikernel guest(String namespace, String name, ImageSource image, String memory,
      Map<String, String> nodeSelector) {
    Unikernel guest = new Unikernel();
    guest.getMetadata().setNamespace(namespace);
    guest.getMetadata().setName(name);
    UnikernelSpec spec = new UnikernelSpec();
    spec.setImage(image);
    spec.setMemory(memory);
    spec.setCmdline("guest=" + name);
    spec.setNodeSelector(nodeSelector);
    spec.setRestartPolicy(RestartPolicy.Always);
    guest.setSpec(spec);
    return guest;
  }

  public static Unikernel get(KubernetesClient client, String namespace, String name) {
    return client.resources(Unikernel.class).inNamespace(namespace).withName(name).get();
  }

  public static UnikernelPhase phase(KubernetesClient client, String namespace, String name) {
    Unikernel guest = get(client, namespace, name);
    return guest == null || guest.getStatus() == null ? null : guest.getStatus().getPhase();
  }

  public static Unikernel awaitPhase(KubernetesClient client, String namespace, String name, UnikernelPhase phase,
      Duration timeout) {
    await().atMost(timeout).pollInterval(Duration.ofMillis(100))
        .until(() -> phase(client, namespace, name) == phase);
    return get(client, namespace, name);
  }
}
