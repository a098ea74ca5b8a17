package io.unikernetes.common.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.function.Supplier;

/**
 * JSON merge patches (RFC 7386) sent as one request. fabric8's {@code patch(PatchContext, String)} on a resource
 * named by {@code withName} first GETs the object, only to address it (fabric8 7.5's
 * HasMetadataOperation.patch); addressed by an object that carries its namespace and name, the patch goes alone.
 * That GET was half of every console publication's requests (issue 12: node burst).
 */
public final class MergePatch {

  private MergePatch() {
  }

  /**
   * Patches the object of kind {@code kind} (e.g. {@code Unikernel::new}) named {@code namespace}/{@code name}.
   *
   * @param namespace null for a cluster-scoped kind
   * @param json the merge patch, e.g. {@code {"spec":{"guestSubnet":"10.0.1.0/24"}}}
   * @return the object as stored after the patch
   * @throws io.fabric8.kubernetes.client.KubernetesClientException from the API server: 404 when the object does
   *     not exist, 422 when the result is invalid
   */
  public static <T extends HasMetadata> T apply(KubernetesClient client, Supplier<T> kind, String namespace,
      String name, String json) {
    return client.resource(target(kind, namespace, name)).patch(PatchContext.of(PatchType.JSON_MERGE), json);
  }

  /** As {@link #apply}, on the object's status subresource. */
  public static <T extends HasMetadata> T applyToStatus(KubernetesClient client, Supplier<T> kind, String namespace,
      String name, String json) {
    return client.resource(target(kind, namespace, name)).subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), json);
  }

  /** An object that only addresses: nothing of it but its kind, namespace and name is read or sent. */
  private static <T extends HasMetadata> T target(Supplier<T> kind, String namespace, String name) {
    T target = kind.get();
    target.getMetadata().setNamespace(namespace);
    target.getMetadata().setName(name);
    return target;
  }
}
