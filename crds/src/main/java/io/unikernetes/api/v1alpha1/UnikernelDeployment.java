package io.unikernetes.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.unikernetes.api.v1alpha1.spec.UnikernelDeploymentSpec;
import io.unikernetes.api.v1alpha1.status.UnikernelDeploymentStatus;

/** N replicas of a guest template with rolling updates and /scale, the Deployment of Unikernetes. */
@Group(ApiGroup.NAME)
@Version(ApiGroup.VERSION)
// Named, not derived: fabric8 derives the plural with regular expressions on every object it constructs,
// and the agent and operator construct one per reconcile (copies, reads).
@Plural("unikerneldeployments")
@ShortNames("ukd")
@Categories("unikernetes")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.readyReplicas", type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Guests whose Ready condition is True")
@AdditionalPrinterColumn(name = "Desired", jsonPath = ".spec.replicas", type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Desired replicas")
@AdditionalPrinterColumn(name = "Up-to-date", jsonPath = ".status.updatedReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER, getDescription = "Guests of the current template")
@AdditionalPrinterColumn(name = "Available", jsonPath = ".status.availableReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER, getDescription = "Guests Ready for minReadySeconds")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class UnikernelDeployment extends CustomResource<UnikernelDeploymentSpec, UnikernelDeploymentStatus>
    implements Namespaced {

  @Override
  protected UnikernelDeploymentStatus initStatus() {
    return new UnikernelDeploymentStatus();
  }
}
