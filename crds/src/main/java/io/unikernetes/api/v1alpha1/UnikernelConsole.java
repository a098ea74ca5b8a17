package io.unikernetes.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.unikernetes.api.v1alpha1.spec.UnikernelConsoleSpec;
import io.unikernetes.api.v1alpha1.status.UnikernelConsoleStatus;

/**
 * A guest's console output, as {@code kubectl logs} reads a Pod's: the current boot's and the previous one's,
 * each bounded to its last lines, written in batches by the guest's agent. Named as its Unikernel and owned by it
 * (deleted with it). Read it with {@code kubectl unikernetes logs NAME}; reading takes {@code get}/{@code watch}
 * on {@code unikernelconsoles}, as reading a Pod's log takes {@code pods/log}.
 */
@Group(ApiGroup.NAME)
@Version(ApiGroup.VERSION)
@Plural("unikernelconsoles")
@ShortNames("ukc")
@Categories("unikernetes")
public class UnikernelConsole extends CustomResource<UnikernelConsoleSpec, UnikernelConsoleStatus>
    implements Namespaced {

  @Override
  protected UnikernelConsoleSpec initSpec() {
    return new UnikernelConsoleSpec();
  }

  @Override
  protected UnikernelConsoleStatus initStatus() {
    return new UnikernelConsoleStatus();
  }
}
