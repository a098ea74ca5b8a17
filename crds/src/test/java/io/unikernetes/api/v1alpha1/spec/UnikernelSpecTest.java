package io.unikernetes.api.v1alpha1.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A deployment's template becomes its guests' spec whole. */
class UnikernelSpecTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void ofCopiesEveryFieldOfTheTemplate() {
    GuestSpec template = new GuestSpec();
    template.setImage(ImageSource.oci("registry.example.org/team/app@sha256:" + "a".repeat(64)));
    template.setImagePullSecrets(List.of(new LocalObjectReference("regcred")));
    template.setVolumes(List.of(GuestVolume.image("root", DiskSource.oci("registry.example.org/team/disk@sha256:"
        + "b".repeat(64)), true), GuestVolume.emptyDisk("scratch", "64Mi")));
    template.setCmdline("port=80");
    template.setMemory("64Mi");
    template.setVcpus(2);
    template.setResources(new GuestResources(new ResourceRequests(new io.fabric8.kubernetes.api.model.Quantity("50m"))));
    template.setTolerations(List.of(new Toleration("dedicated", Toleration.Operator.Equal, "db")));
    TopologySpread spread = new TopologySpread();
    spread.setMaxSkew(1);
    template.setTopologySpread(spread);
    template.setBootMode(BootMode.PV);
    template.setRestartPolicy(RestartPolicy.OnFailure);
    template.setNodeSelector(Map.of("pool", "a"));
    template.setNetwork(NetworkMode.NONE);
    template.setPorts(List.of(new GuestPort("http", 80, PortProtocol.TCP)));
    Probe probe = new Probe();
    probe.setTcpSocket(new TcpSocketAction(new IntOrString("http")));
    template.setReadinessProbe(probe);
    template.setLivenessProbe(probe);

    JsonNode expected = JSON.valueToTree(template);
    long fields = java.util.Arrays.stream(GuestSpec.class.getDeclaredFields())
        .filter(f -> !java.lang.reflect.Modifier.isStatic(f.getModifiers())).count();
    assertThat(expected.size()).as("the test sets every field of GuestSpec: %s", expected).isEqualTo(fields);
    assertThat((Object) JSON.valueToTree(UnikernelSpec.of(template))).isEqualTo(expected);
  }
}
