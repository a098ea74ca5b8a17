package io.unikernetes.e2e.observability;

import static io.unikernetes.e2e.support.Guests.awaitPhase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.unikernetes.agent.UnikernetesAgent;
import io.unikernetes.api.v1alpha1.Unikernel;
import io.unikernetes.api.v1alpha1.status.UnikernelPhase;
import io.unikernetes.e2e.support.HelloImage;
import io.unikernetes.e2e.support.Guests;
import io.unikernetes.e2e.support.TestEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Health endpoints, Prometheus metrics and the leader-election Lease of a running operator and agent. */
class ProbesAndMetricsIT {

  private static final String NS = "observability";
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void operatorAndAgentServeProbesAndMetricsAfterAGuestRuns() throws Exception {
    TestEnvironment env = TestEnvironment.get();
    env.createNamespace(NS);
    UnikernetesAgent agent = env.startAgent("metrics-node", "test:///default", 10, Map.of("pool", "metrics"));
    try {
      var image = HelloImage.get();
      env.client().resource(Guests.guest(NS, "measured", image, "32Mi", Map.of("pool", "metrics"))).create();
      awaitPhase(env.client(), NS, "measured", UnikernelPhase.Running, Duration.ofSeconds(60));

      for (int port : new int[] {env.operatorHttpPort(), agent.httpPort()}) {
        assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
        var ready = get(port, "/readyz");
        assertThat(ready.statusCode()).as("readyz of the %s: %s", port == agent.httpPort() ? "agent" : "operator",
            ready.body()).isEqualTo(200);
      }
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get(env.operatorHttpPort(), "/metrics").body())
          .contains("unikernetes_scheduling_latency_seconds_count")
          .contains("unikernetes_scheduling_attempts_total{result=\"bound\"}")
          .contains("unikernetes_guests{phase=\"Running\"}")
          .contains("operator_sdk_reconciliations"));
      assertThat(get(agent.httpPort(), "/metrics").body())
          .contains("unikernetes_libvirt_call_duration_seconds_count{operation=\"defineAndStart\",outcome=\"success\"}")
          .contains("unikernetes_image_fetch_duration_seconds_count")
          .contains("unikernetes_node_guests{phase=\"Running\"}");

      Lease lease = env.client().leases().inNamespace("default").withName("unikernetes-operator-tests").get();
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("test-operator");
    } finally {
      env.client().resources(Unikernel.class).inNamespace(NS).delete();
      await().atMost(Duration.ofSeconds(60))
          .until(() -> env.client().resources(Unikernel.class).inNamespace(NS).list().getItems().isEmpty());
      env.stopAgent(agent, "metrics-node");
    }
  }
}
