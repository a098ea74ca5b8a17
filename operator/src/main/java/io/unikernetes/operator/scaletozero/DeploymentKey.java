package io.unikernetes.operator.scaletozero;

import io.unikernetes.api.v1alpha1.UnikernelDeployment;

/** A UnikernelDeployment by namespace and name. */
public record DeploymentKey(String namespace, String name) {

  public static DeploymentKey of(UnikernelDeployment deployment) {
    return new DeploymentKey(deployment.getMetadata().getNamespace(), deployment.getMetadata().getName());
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
