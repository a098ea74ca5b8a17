package io.unikernetes.common.status;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.status.KstatusConditions;
import io.unikernetes.api.v1alpha1.status.UnikernelStatus;
import java.time.Clock;
import java.net.HttpURLConnection;
import java.util.function.UnaryOperator;

/**
 * Writes a Unikernel's status, which two parties share: the scheduler (binding, Scheduled condition) and the
 * node's agent (phase, domain, Ready). Each expresses its write as a change of the fields it owns; the write
 * is guarded by resourceVersion and, on a conflict, the change is applied again to the fresh object, so
 * neither party overwrites the other's fields with stale values. The kstatus conditions are derived from the
 * resulting phase on every write.
 */
public class UnikernelStatusWriter {

  private static final int ATTEMPTS = 5;

  private final KubernetesClient client;
  private final Clock clock;

  public UnikernelStatusWriter(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** Returns the object as stored after the write (or unchanged when the change was a no-op). */
  public Unikernel write(Unikernel guest, UnaryOperator<UnikernelStatus> change) {
    Unikernel current = guest;
    for (int attempt = 1; ; attempt++) {
      UnikernelStatus before = current.getStatus() == null ? new UnikernelStatus() : current.getStatus();
      UnikernelStatus after = KstatusConditions.apply(change.apply(before.copy()),
          current.getMetadata().getGeneration(), clock.instant());
      if (after.equals(current.getStatus())) {
        return current;
      }
      current.setStatus(after);
      try {
        return client.resource(current).updateStatus();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == ATTEMPTS) {
          throw e;
        }
        Unikernel fresh = client.resources(Unikernel.class).inNamespace(current.getMetadata().getNamespace())
            .withName(current.getMetadata().getName()).get();
        if (fresh == null || !fresh.getMetadata().getUid().equals(current.getMetadata().getUid())) {
          return current; // deleted meanwhile: nothing to report on
        }
        current = fresh;
      }
    }
  }
}
