package io.unikernetes.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.unikernetes.api.v1alpha1.spec.UnikernelImagePolicySpec;

/**
 * Which OCI images must be signed, and by whom: images matching one of {@code spec.images} boot only with a
 * cosign signature (the {@code sha256-<digest>.sig} tag beside the image) made with one of
 * {@code spec.authorities}' keys; every matching policy must be satisfied. Cluster-scoped, as sigstore's
 * policy-controller ClusterImagePolicy, whose field names it keeps. Images no policy matches need no signature.
 */
@Group(ApiGroup.NAME)
@Version(ApiGroup.VERSION)
@Plural("unikernelimagepolicies")
@ShortNames("ukip")
@Categories("unikernetes")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class UnikernelImagePolicy extends CustomResource<UnikernelImagePolicySpec, Void> {

  @Override
  protected UnikernelImagePolicySpec initSpec() {
    return new UnikernelImagePolicySpec();
  }
}
