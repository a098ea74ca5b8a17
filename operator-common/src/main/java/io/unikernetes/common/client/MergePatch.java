package io.unikernetes.common.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

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
   * Patches the object {@code target} names (its kind, namespace and name; nothing else of it is read or sent).
   *
   * @param json the merge patch, e.g. {@code {"spec":{"guestSubnet":"10.0.1.0/24"}}}
   * @return the object as stored after the patch
   * @throws io.fabric8.kubernetes.client.KubernetesClientException from the API server: 404 when the object does
   *     not exist, 422 when the result is invalid
   */
  public static <T extends HasMetadata> T apply(KubernetesClient client, T target, String json) {
    return client.resource(target).patch(PatchContext.of(PatchType.JSON_MERGE), json);
  }

  /** As {@link #apply}, on the object's status subresource. */
  public static <T extends HasMetadata> T applyToStatus(KubernetesClient client, T target, String json) {
    return client.resource(target).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), json);
  }
}
