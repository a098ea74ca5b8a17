package io.unikernetes.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.unikernetes.api.v1alpha1.spec.UnikernelSpec;
import io.unikernetes.api.v1alpha1.status.UnikernelStatus;

/** One unikernel guest VM, the Pod of Unikernetes. */
@Group(ApiGroup.NAME)
@Version(ApiGroup.VERSION)
// Named, not derived: fabric8 derives the plural with regular expressions on every object it constructs,
// and the agent and operator construct one per reconcile (copies, reads).
@Plural("unikernels")
@ShortNames("uk")
@Categories("unikernetes")
// Printer columns in the order kubectl shows them (the order declared here, AGE last, as for Pods; priority 1
// only under -o wide, after AGE). fabric8 sorts them by path; GeneratedCrdsAreCheckedInTest restores this order.
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Where the guest is in its lifecycle")
@AdditionalPrinterColumn(name = "Node", jsonPath = ".status.nodeName", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "The XenNode the guest runs on")
@AdditionalPrinterColumn(name = "IP", jsonPath = ".status.ip", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "The guest's address in its node's guest subnet")
@AdditionalPrinterColumn(name = "Restarts", jsonPath = ".status.restartCount", type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "How often the agent restarted the guest")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Memory", jsonPath = ".spec.memory", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Guest memory", priority = 1)
@AdditionalPrinterColumn(name = "Boot", jsonPath = ".status.bootDurationMillis", type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Milliseconds from domain start to the guest's first console output", priority = 1)
@AdditionalPrinterColumn(name = "Format", jsonPath = ".status.imageFormat", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Boot protocols found in the kernel image (pvh, xen-pv, multiboot, linux)", priority = 1)
@AdditionalPrinterColumn(name = "Domain", jsonPath = ".status.domainUUID", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "libvirt domain UUID", priority = 1)
public class Unikernel extends CustomResource<UnikernelSpec, UnikernelStatus> implements Namespaced {

  @Override
  protected UnikernelStatus initStatus() {
    return new UnikernelStatus();
  }
}
