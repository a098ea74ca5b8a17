package io.unikernetes.e2e.support;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.agent.hypervisor.DomainNames;
import io.unikernetes.agent.hypervisor.GuestIdentity;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.UnikernelDeployment;
import io.unikernetes.api.v1alpha1.spec.GuestSpec;
import io.unikernetes.api.v1alpha1.spec.UnikernelDeploymentSpec;
import io.unikernetes.api.v1alpha1.spec.UnikernelTemplate;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.api.v1alpha1.spec.RestartPolicy;
import io.unikernetes.api.v1alpha1.spec.UnikernelSpec;
import io.unikernetes.api.v1alpha1.status.Condition;
import io.unikernetes.api.v1alpha1.status.ConditionType;
import io.unikernetes.api.v1alpha1.status.Conditions;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

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

  /** A deployment of {@code replicas} guests labelled app={@code app}, on nodes carrying {@code nodeSelector}. */
  public static UnikernelDeployment deployment(String namespace, String app, int replicas, ImageSource image,
      String memory, Map<String, String> nodeSelector) {
    GuestSpec guest = new GuestSpec();
    guest.setImage(image);
    guest.setMemory(memory);
    guest.setNodeSelector(nodeSelector);
    UnikernelTemplate template = new UnikernelTemplate();
    UnikernelTemplate.Metadata metadata = new UnikernelTemplate.Metadata();
    metadata.setLabels(Map.of("app", app));
    template.setMetadata(metadata);
    template.setSpec(guest);
    UnikernelDeploymentSpec spec = new UnikernelDeploymentSpec();
    spec.setReplicas(replicas);
    spec.setSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", app)).build());
    spec.setTemplate(template);
    UnikernelDeployment deployment = new UnikernelDeployment();
    deployment.getMetadata().setName(app);
    deployment.getMetadata().setNamespace(namespace);
    deployment.setSpec(spec);
    return deployment;
  }

  /** The libvirt domain name of a guest on {@code node}. */
  public static String domainOf(Unikernel guest, String node) {
    return DomainNames.of(new GuestIdentity(guest.getMetadata().getUid(), guest.getMetadata().getNamespace(),
        guest.getMetadata().getName(), node));
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

  /** Waits until the guest runs again after its {@code restarts}-th restart. */
  public static void awaitRunningAfterRestarts(KubernetesClient client, String namespace, String name, int restarts,
      Duration timeout) {
    await().atMost(timeout).until(() -> {
      Unikernel current = get(client, namespace, name);
      return current.getStatus().getRestartCount() == restarts && current.getStatus().getPhase() == UnikernelPhase.Running;
    });
  }

  /** Waits until the guest's status shows its console's READY line, and returns that line. */
  public static String awaitReadyLine(KubernetesClient client, String namespace, String name, Duration timeout) {
    await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> readyLine(get(client, namespace, name)) != null);
    return readyLine(get(client, namespace, name));
  }

  private static String readyLine(Unikernel guest) {
    if (guest == null || guest.getStatus() == null || guest.getStatus().getConsoleHead() == null) {
      return null;
    }
    return guest.getStatus().getConsoleHead().lines().filter(l -> l.startsWith("UNIKERNEL READY")).findFirst()
        .orElse(null);
  }

  /**
   * Creates {@code runs} guests one after another and returns, for each, the milliseconds from create to
   * phase Running. Each guest's READY line is awaited and the guest deleted before the next one.
   */
  public static List<Long> applyToRunningMillis(KubernetesClient client, int runs, IntFunction<Unikernel> guestOfRun,
      Duration timeout) {
    List<Long> millis = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      Unikernel guest = guestOfRun.apply(run);
      String namespace = guest.getMetadata().getNamespace();
      String name = guest.getMetadata().getName();
      Instant start = Instant.now();
      client.resource(guest).create();
      awaitPhase(client, namespace, name, UnikernelPhase.Running, timeout);
      millis.add(Duration.between(start, Instant.now()).toMillis());
      awaitReadyLine(client, namespace, name, timeout);
      client.resources(Unikernel.class).inNamespace(namespace).withName(name).delete();
      await().atMost(timeout).until(() -> get(client, namespace, name) == null);
    }
    return millis;
  }

  /** The guest's Ready condition, or empty while the guest or its status does not exist. */
  public static Optional<Condition> readyCondition(KubernetesClient client, String namespace, String name) {
    Unikernel g = get(client, namespace, name);
    return g == null || g.getStatus() == null ? Optional.empty()
        : Conditions.find(g.getStatus().getConditions(), ConditionType.Ready);
  }

  /** The median of an odd number of samples. */
  public static long median(List<Long> samples) {
    return samples.stream().sorted().toList().get(samples.size() / 2);
  }
}
