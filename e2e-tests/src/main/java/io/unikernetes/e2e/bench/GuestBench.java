package io.unikernetes.e2e.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.api.v1alpha1.spec.ImageSource;
import io.unikernetes.local.controlplane.ControlPlaneBinaries;
import io.unikernetes.local.controlplane.LocalControlPlane;
import io.unikernetes.local.repository.Crds;
import io.unikernetes.local.artifacts.GuestImageServer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What the guest benchmarks stand on: a local real API server with the CRDs and a namespace for the guests, and
 * the hello guest's PVH image served over loopback, pinned by its digest. Close it to stop both.
 */
final class GuestBench implements AutoCloseable {

  private final LocalControlPlane cluster;
  private final KubernetesClient client;
  private final GuestImageServer images;
  private final ImageSource hello;

  private GuestBench(LocalControlPlane cluster, KubernetesClient client, GuestImageServer images, ImageSource hello) {
    this.cluster = cluster;
    this.client = client;
    this.images = images;
    this.hello = hello;
  }

  static GuestBench start(io.unikernetes.local.repository.Repository repo, Path work, String namespace)
      throws IOException, InterruptedException {
    LocalControlPlane cluster = LocalControlPlane.start(ControlPlaneBinaries.locate(repo.root()), work.resolve("cp"));
    KubernetesClient client = cluster.newClient();
    Path kernel = repo.helloGuest();
    GuestImageServer images = GuestImageServer.serve(kernel.getParent());
    Crds.install(cluster, repo);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    return new GuestBench(cluster, client, images, new ImageSource(images.urlOf(kernel.getFileName().toString()),
        GuestImageServer.sha256Of(kernel)));
  }

  LocalControlPlane cluster() {
    return cluster;
  }

  KubernetesClient client() {
    return client;
  }

  /** The hello guest's image as this machine reaches it (over loopback). */
  ImageSource hello() {
    return hello;
  }

  @Override
  public void close() {
    images.close();
    client.close();
    cluster.close();
  }
}
