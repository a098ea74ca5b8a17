package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.crd.generator.annotation.SelectableField;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * A Unikernel's spec: the guest, plus the node it is bound to. Like a Pod's, it cannot change once created
 * (a running guest is not edited in place), except that nodeName may be set once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(oldSelf.nodeName) || (has(self.nodeName) && self.nodeName == oldSelf.nodeName)",
    message = "nodeName cannot be changed or removed once set: delete the Unikernel and create it again to move it")
@ValidationRule(value = "self.image == oldSelf.image", fieldPath = ".image",
    message = "image is immutable: create a new Unikernel (or let a UnikernelDeployment roll) to change it")
@ValidationRule(value = "(has(self.cmdline) ? self.cmdline : '') == (has(oldSelf.cmdline) ? oldSelf.cmdline : '')",
    fieldPath = ".cmdline",
    message = "cmdline is immutable: create a new Unikernel (or let a UnikernelDeployment roll) to change it")
@ValidationRule(value = "!has(oldSelf.memory) || (has(self.memory) && self.memory == oldSelf.memory)",
    fieldPath = ".memory", message = "memory is immutable: create a new Unikernel to change it")
@ValidationRule(value = "!has(oldSelf.vcpus) || (has(self.vcpus) && self.vcpus == oldSelf.vcpus)",
    fieldPath = ".vcpus", message = "vcpus is immutable: create a new Unikernel to change it")
// cpu is int-or-string: compared as strings, so a client writing back 2 as "2" (fabric8 does) changes nothing.
@ValidationRule(value = "has(self.resources) == has(oldSelf.resources) && (!has(self.resources) "
    + "|| (has(self.resources.requests) == has(oldSelf.resources.requests) && (!has(self.resources.requests) "
    + "|| (has(self.resources.requests.cpu) == has(oldSelf.resources.requests.cpu) "
    + "&& (!has(self.resources.requests.cpu) "
    + "|| string(self.resources.requests.cpu) == string(oldSelf.resources.requests.cpu))))))",
    fieldPath = ".resources",
    message = "resources are immutable: create a new Unikernel (or let a UnikernelDeployment roll) to change them")
@ValidationRule(value = "!has(oldSelf.bootMode) || (has(self.bootMode) && self.bootMode == oldSelf.bootMode)",
    fieldPath = ".bootMode", message = "bootMode is immutable: create a new Unikernel to change it")
@ValidationRule(value = "(has(self.ports) ? self.ports : []) == (has(oldSelf.ports) ? oldSelf.ports : [])",
    fieldPath = ".ports", message = "ports are immutable: create a new Unikernel (or let a UnikernelDeployment roll) to change them")
@ValidationRule(value = "(has(self.volumes) ? self.volumes : []) == (has(oldSelf.volumes) ? oldSelf.volumes : [])",
    fieldPath = ".volumes",
    message = "volumes are immutable: create a new Unikernel (or let a UnikernelDeployment roll) to change them")
@ValidationRule(value = "(has(self.network) ? self.network : 'bridge') == (has(oldSelf.network) ? oldSelf.network : 'bridge')",
    fieldPath = ".network", message = "network is immutable: create a new Unikernel to change it")
@ValidationRule(value = "has(self.readinessProbe) == has(oldSelf.readinessProbe) && (!has(self.readinessProbe) "
    + "|| self.readinessProbe == oldSelf.readinessProbe)", fieldPath = ".readinessProbe",
    message = "readinessProbe is immutable: create a new Unikernel (or let a UnikernelDeployment roll) to change it")
@ValidationRule(value = "has(self.livenessProbe) == has(oldSelf.livenessProbe) && (!has(self.livenessProbe) "
    + "|| self.livenessProbe == oldSelf.livenessProbe)", fieldPath = ".livenessProbe",
    message = "livenessProbe is immutable: create a new Unikernel (or let a UnikernelDeployment roll) to change it")
public class UnikernelSpec extends GuestSpec {

  private static final ObjectMapper JSON = new ObjectMapper();

  // Selectable so each agent watches its guests by this immutable field, not by an editable label.
  @SelectableField
  @Size(max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("The XenNode that runs the guest. Set by the scheduler; set it yourself to pin the "
      + "guest to a node (the scheduler then only checks capacity). Cannot change once set.")
  private String nodeName;

  public String getNodeName() {
    return nodeName;
  }

  public void setNodeName(String nodeName) {
    this.nodeName = nodeName;
  }

  /**
   * A Unikernel spec running {@code guest}, not bound to any node: a deep copy of every field, made through its
   * JSON form so a field added to GuestSpec is never left out (volumes, image.reference and imagePullSecrets
   * once were).
   */
  public static UnikernelSpec of(GuestSpec guest) {
    UnikernelSpec spec = JSON.convertValue(guest, UnikernelSpec.class);
    spec.setNodeName(null);
    return spec;
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o) && Objects.equals(nodeName, ((UnikernelSpec) o).nodeName);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + Objects.hashCode(nodeName);
  }
}
