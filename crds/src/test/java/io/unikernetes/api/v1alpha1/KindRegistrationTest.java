package io.unikernetes.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/**
 * Every kind is listed in META-INF/services for fabric8's deserializer: a watch event of an unlisted kind is
 * decoded into a generic object and converted again, a second full pass over every object.
 */
class KindRegistrationTest {

  @Test
  void eachKindDecodesStraightIntoItsClass() {
    KubernetesSerialization serialization = new KubernetesSerialization();
    for (Class<?> kind : new Class<?>[] {Unikernel.class, UnikernelConsole.class, UnikernelDeployment.class,
        UnikernelImagePolicy.class, XenNode.class}) {
      String json = "{\"apiVersion\":\"" + ApiGroup.NAME + "/v1alpha1\",\"kind\":\"" + kind.getSimpleName()
          + "\",\"metadata\":{\"name\":\"x\"}}";
      assertThat(serialization.unmarshal(json, KubernetesResource.class)).isInstanceOf(kind);
    }
  }
}
