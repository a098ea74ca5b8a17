package io.unikernetes.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.unikernetes.api.v1alpha1.spec.XenNodeSpec;
import io.unikernetes.api.v1alpha1.status.XenNodeStatus;

/** One hypervisor host, the Node of Unikernetes. Registered and kept up to date by its xen-agent. */
@Group(ApiGroup.NAME)
@Version(ApiGroup.VERSION)
// Named, not derived: fabric8 derives the plural with regular expressions on every object it constructs,
// and the agent and operator construct one per reconcile (copies, reads).
@Plural("xennodes")
@ShortNames("xn")
@Categories("unikernetes")
// Printer columns in declared order, AGE last as for Nodes, wide ones after (see Unikernel).
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING, getDescription = "Whether the node's agent reports the host ready")
@AdditionalPrinterColumn(name = "Hypervisor", jsonPath = ".status.hypervisor.type", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Hypervisor behind libvirt")
@AdditionalPrinterColumn(name = "Guests", jsonPath = ".status.allocated.guests", type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Guests bound to the node that have not finished")
@AdditionalPrinterColumn(name = "Memory", jsonPath = ".status.allocatable.memory", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Memory available to guests")
@AdditionalPrinterColumn(name = "Mem-Requested", jsonPath = ".status.allocated.memory",
    type = AdditionalPrinterColumn.Type.STRING, getDescription = "Memory the node's guests request, overhead included")
@AdditionalPrinterColumn(name = "CPU", jsonPath = ".status.allocatable.cpu", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "CPU available to guests")
@AdditionalPrinterColumn(name = "CPU-Requested", jsonPath = ".status.allocated.cpu",
    type = AdditionalPrinterColumn.Type.STRING, getDescription = "CPU the node's guests request, overhead included")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "URI", jsonPath = ".status.libvirtUri", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "libvirt connection URI the agent uses", priority = 1)
@AdditionalPrinterColumn(name = "Subnet", jsonPath = ".spec.guestSubnet", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "The IPv4 network the node's guests get addresses from", priority = 1)
// On the root, not on spec: an update leaving out spec altogether must not drop the subnet either.
@io.fabric8.generator.annotation.ValidationRule(value = "!has(oldSelf.spec) || !has(oldSelf.spec.guestSubnet) "
    + "|| (has(self.spec) && has(self.spec.guestSubnet) && self.spec.guestSubnet == oldSelf.spec.guestSubnet)",
    fieldPath = ".spec.guestSubnet",
    message = "guestSubnet cannot be changed or removed once set: its guests hold addresses in it")
public class XenNode extends CustomResource<XenNodeSpec, XenNodeStatus> {

  @Override
  protected XenNodeSpec initSpec() {
    return new XenNodeSpec();
  }

  @Override
  protected XenNodeStatus initStatus() {
    return new XenNodeStatus();
  }
}
