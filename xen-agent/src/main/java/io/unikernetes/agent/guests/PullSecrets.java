package io.unikernetes.agent.guests;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.unikernetes.agent.images.ImageFetchException;
import io.unikernetes.agent.images.oci.DockerConfigJson;
import io.unikernetes.agent.images.oci.PullCredentials;
import io.unikernetes.agent.images.oci.RegistryCredential;
import io.unikernetes.api.v1alpha1.Unikernel;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A guest's pull credentials from the Secrets its spec.imagePullSecrets names, as the kubelet takes a Pod's:
 * type kubernetes.io/dockerconfigjson, tried in order, the first with an entry for the registry wins. Read
 * from the API server by name when a pull starts, on the download's thread and never cached, so a fixed
 * Secret counts at the next attempt; the agent needs no list or watch on Secrets.
 */
public final class PullSecrets {

  static final String TYPE = "kubernetes.io/dockerconfigjson";
  static final String KEY = ".dockerconfigjson";

  private final KubernetesClient client;

  public PullSecrets(KubernetesClient client) {
    this.client = client;
  }

  /** The credentials of {@code guest}'s Secrets; none to look up when it names none. */
  public PullCredentials of(Unikernel guest) {
    List<String> names = names(guest);
    if (names.isEmpty()) {
      return PullCredentials.NONE;
    }
    String namespace = guest.getMetadata().getNamespace();
    return registry -> {
      for (String name : names) {
        Optional<RegistryCredential> found = DockerConfigJson.find(config(namespace, name), registry,
            "Secret " + namespace + "/" + name);
        if (found.isPresent()) {
          return found;
        }
      }
      return Optional.empty();
    };
  }

  /** Names the credentials for sharing a download: guests with the same Secrets share one. */
  public String key(Unikernel guest) {
    List<String> names = names(guest);
    return names.isEmpty() ? "" : guest.getMetadata().getNamespace() + "/" + String.join(",", names);
  }

  private byte[] config(String namespace, String name) throws ImageFetchException {
    String what = "Secret " + namespace + "/" + name + " (spec.imagePullSecrets)";
    Secret secret;
    try {
      secret = client.secrets().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new ImageFetchException("cannot read " + what + ": HTTP " + e.getCode() + " " + e.getMessage(), e);
    }
    if (secret == null) {
      throw new ImageFetchException(what + " does not exist: create it (kubectl create secret docker-registry) "
          + "or remove it from spec.imagePullSecrets", null);
    }
    if (!TYPE.equals(secret.getType()) || secret.getData() == null || !secret.getData().containsKey(KEY)) {
      throw new ImageFetchException(what + " has type " + secret.getType() + "; pull secrets need type " + TYPE
          + " with the key " + KEY, null);
    }
    try {
      return Base64.getDecoder().decode(secret.getData().get(KEY));
    } catch (IllegalArgumentException e) {
      throw new ImageFetchException(what + ": " + KEY + " is not base64", e);
    }
  }

  private static List<String> names(Unikernel guest) {
    List<LocalObjectReference> refs = guest.getSpec().getImagePullSecrets();
    return refs == null ? List.of() : refs.stream().map(LocalObjectReference::getName)
        .filter(n -> n != null && !n.isEmpty()).collect(Collectors.toList());
  }
}
