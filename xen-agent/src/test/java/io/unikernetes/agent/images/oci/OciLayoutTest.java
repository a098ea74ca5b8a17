package io.unikernetes.agent.images.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OciLayoutTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);
  private static final String C = "sha256:" + "c".repeat(64);

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  void unikernetesMediaTypesAreTheFilesThemselves() throws Exception {
    JsonNode manifest = json("{'layers':[{'mediaType':'application/vnd.unikernetes.initrd.v1','digest':'" + B
        + "','size':5},{'mediaType':'application/vnd.unikernetes.kernel.v1','digest':'" + A + "','size':7}]}");
    OciImageContents contents = OciLayout.contents(manifest, JSON.missingNode());
    assertThat(contents.convention()).isEqualTo("Unikernetes");
    assertThat(contents.kernel()).contains(OciFile.rawBlob(new OciBlob(A, OciLayout.KERNEL_MEDIA_TYPE, 7)));
    assertThat(contents.initrd()).contains(OciFile.rawBlob(new OciBlob(B, OciLayout.INITRD_MEDIA_TYPE, 5)));
  }

  @Test
  void kraftKitAnnotationsNameTheLayerAndThePathInIt() throws Exception {
    JsonNode manifest = json("{'layers':[{'mediaType':'application/vnd.oci.image.layer.v1.tar','digest':'" + A
        + "','size':10,'annotations':{'org.unikraft.kernel.image':'/unikraft/bin/kernel'}},"
        + "{'mediaType':'application/vnd.oci.image.layer.v1.tar','digest':'" + B
        + "','size':20,'annotations':{'org.unikraft.kernel.initrd':'/unikraft/bin/initrd'}}]}");
    OciImageContents contents = OciLayout.contents(manifest, JSON.missingNode());
    assertThat(contents.convention()).isEqualTo("KraftKit");
    assertThat(contents.kernel().orElseThrow().candidates()).extracting(OciBlob::digest).containsExactly(A);
    assertThat(contents.kernel().orElseThrow().pathInTar()).contains("unikraft/bin/kernel");
    assertThat(contents.initrd().orElseThrow().candidates()).extracting(OciBlob::digest).containsExactly(B);
  }

  @Test
  void uruncLabelsArePathsSearchedFromTheLastLayerAndMayBeBase64() throws Exception {
    JsonNode manifest = json("{'layers':[{'mediaType':'application/vnd.oci.image.layer.v1.tar+gzip','digest':'" + A
        + "','size':10},{'mediaType':'application/vnd.oci.image.layer.v1.tar+gzip','digest':'" + B + "','size':20}]}");
    JsonNode config = json("{'config':{'Labels':{'com.urunc.unikernel.binary':'/unikernel/kernel',"
        + "'com.urunc.unikernel.initrd':'L3VuaWtlcm5lbC9pbml0cmQ='}}}");
    OciImageContents contents = OciLayout.contents(manifest, config);
    assertThat(contents.convention()).isEqualTo("urunc");
    assertThat(contents.kernel().orElseThrow().candidates()).extracting(OciBlob::digest).containsExactly(B, A);
    assertThat(contents.kernel().orElseThrow().pathInTar()).contains("unikernel/kernel");
    assertThat(contents.initrd().orElseThrow().pathInTar()).contains("unikernel/initrd");
    assertThat(contents.kernel().orElseThrow().candidates().get(0).gzip()).isTrue();
  }

  @Test
  void uruncManifestAnnotationsCountWhenTheConfigHasNoLabels() throws Exception {
    JsonNode manifest = json("{'annotations':{'com.urunc.unikernel.binary':'/.boot/kernel'},'layers':["
        + "{'mediaType':'application/vnd.docker.image.rootfs.diff.tar.gzip','digest':'" + A + "','size':10}]}");
    OciImageContents contents = OciLayout.contents(manifest, JSON.missingNode());
    assertThat(contents.kernel().orElseThrow().pathInTar()).contains(".boot/kernel");
    assertThat(contents.initrd()).isEmpty();
  }

  @Test
  void aDiskLayerMayComeWithAKernelOrAlone() throws Exception {
    JsonNode both = json("{'layers':[{'mediaType':'application/vnd.unikernetes.kernel.v1','digest':'" + A
        + "','size':7},{'mediaType':'application/vnd.unikernetes.disk.v1','digest':'" + B + "','size':9}]}");
    OciImageContents contents = OciLayout.contents(both, JSON.missingNode());
    assertThat(contents.kernel()).isPresent();
    assertThat(contents.disk()).contains(OciFile.rawBlob(new OciBlob(B, OciLayout.DISK_MEDIA_TYPE, 9)));

    JsonNode diskOnly = json("{'layers':[{'mediaType':'application/vnd.unikernetes.disk.v1','digest':'" + B
        + "','size':9}]}");
    OciImageContents disk = OciLayout.contents(diskOnly, JSON.missingNode());
    assertThat(disk.kernel()).isEmpty();
    assertThat(disk.disk()).isPresent();
  }

  @Test
  void uruncBlockNamesADiskInTheRootFilesystem() throws Exception {
    JsonNode manifest = json("{'annotations':{'com.urunc.unikernel.binary':'/.boot/kernel',"
        + "'com.urunc.unikernel.block':'/.boot/rootfs.img'},'layers':["
        + "{'mediaType':'application/vnd.oci.image.layer.v1.tar','digest':'" + A + "','size':10}]}");
    OciImageContents contents = OciLayout.contents(manifest, JSON.missingNode());
    assertThat(contents.convention()).isEqualTo("urunc");
    assertThat(contents.disk().orElseThrow().pathInTar()).contains(".boot/rootfs.img");
  }

  @Test
  void aTarLayerWithoutAnnotationsIsSearchedForKraftKitsWellKnownPath() throws Exception {
    JsonNode manifest = json("{'layers':[{'mediaType':'application/vnd.oci.image.layer.v1.tar','digest':'" + A
        + "','size':10}]}");
    assertThat(OciLayout.contents(manifest, JSON.missingNode()).kernel().orElseThrow().pathInTar())
        .contains("unikraft/bin/kernel");
  }

  @Test
  void anImageWithoutAKernelNamesTheConventionsLookedFor() throws Exception {
    JsonNode manifest = json("{'layers':[{'mediaType':'application/octet-stream','digest':'" + A + "','size':1}]}");
    assertThatThrownBy(() -> OciLayout.contents(manifest, JSON.missingNode()))
        .isInstanceOf(OciFormatException.class)
        .hasMessageContaining(OciLayout.KERNEL_MEDIA_TYPE).hasMessageContaining("KraftKit")
        .hasMessageContaining("urunc").hasMessageContaining("application/octet-stream");
  }

  @Test
  void anIndexYieldsTheX86ManifestForThePreferredPlatformFirst() throws Exception {
    JsonNode index = json("{'mediaType':'application/vnd.oci.image.index.v1+json','manifests':["
        + "{'digest':'" + A + "','platform':{'architecture':'arm64','os':'xen'}},"
        + "{'digest':'" + B + "','platform':{'architecture':'x86_64','os':'qemu'}},"
        + "{'digest':'" + C + "','platform':{'architecture':'x86_64','os':'xen'}}]}");
    assertThat(OciLayout.isIndex(index)).isTrue();
    assertThat(OciLayout.selectManifest(index, "xen")).contains(C);
    assertThat(OciLayout.selectManifest(index, "test")).contains(B);
    assertThat(OciLayout.selectManifest(json("{'manifests':[{'digest':'" + A
        + "','platform':{'architecture':'arm64'}}]}"), "xen")).isEqualTo(Optional.empty());
  }

  @Test
  void theEmptyConfigIsNotFetched() throws Exception {
    assertThat(OciLayout.config(json("{'config':{'mediaType':'application/vnd.oci.empty.v1+json','digest':'" + A
        + "','size':2}}"))).isEmpty();
    assertThat(OciLayout.config(json("{'config':{'mediaType':'application/vnd.oci.image.config.v1+json','digest':'"
        + A + "','size':300}}"))).isPresent();
  }
}
