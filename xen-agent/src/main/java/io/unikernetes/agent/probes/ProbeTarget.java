package io.unikernetes.agent.probes;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.unikernetes.api.v1alpha1.spec.GuestPort;
import io.unikernetes.api.v1alpha1.spec.HttpHeader;
import io.unikernetes.api.v1alpha1.spec.Probe;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One probe made concrete for a guest: what to contact at its address and how often, with the API server's
 * defaults applied (Pod probe defaults: period 10 s, timeout 1 s, thresholds 1 and 3).
 *
 * @param path the HTTP path, empty for a TCP probe
 */
public record ProbeTarget(String host, int port, Optional<String> path, List<HttpHeader> headers,
    Duration initialDelay, Duration period, Duration timeout, int successThreshold, int failureThreshold) {

  /**
   * The probe against {@code ip}, a named port looked up in {@code ports}.
   *
   * @throws IllegalArgumentException when the probe names a port the guest does not declare (the API server
   *     rejects that; an object stored under an older CRD may still hold it)
   */
  public static ProbeTarget of(Probe probe, List<GuestPort> ports, String ip) {
    boolean http = probe.getHttpGet() != null;
    IntOrString port = http ? probe.getHttpGet().getPort() : probe.getTcpSocket().getPort();
    Optional<String> path = http
        ? Optional.of(probe.getHttpGet().getPath() == null ? "/" : probe.getHttpGet().getPath()) : Optional.empty();
    List<HttpHeader> headers = http && probe.getHttpGet().getHttpHeaders() != null
        ? List.copyOf(probe.getHttpGet().getHttpHeaders()) : List.of();
    return new ProbeTarget(ip, number(port, ports), path, headers, seconds(probe.getInitialDelaySeconds(), 0),
        seconds(probe.getPeriodSeconds(), 10), seconds(probe.getTimeoutSeconds(), 1),
        orDefault(probe.getSuccessThreshold(), 1), orDefault(probe.getFailureThreshold(), 3));
  }

  /** What a person reads in a condition message: "GET http://10.240.3.7:8080/healthz" or "TCP 10.240.3.7:8080". */
  public String describe() {
    return path.map(p -> "GET http://" + host + ":" + port + p).orElse("TCP " + host + ":" + port);
  }

  private static int number(IntOrString port, List<GuestPort> ports) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    String name = port.getStrVal();
    return (ports == null ? List.<GuestPort>of() : ports).stream().filter(p -> name.equals(p.getName()))
        .map(GuestPort::getPort).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the probe names port '" + name
            + "', which is not among spec.ports"));
  }

  private static Duration seconds(Integer value, int defaultSeconds) {
    return Duration.ofSeconds(value == null ? defaultSeconds : value);
  }

  private static int orDefault(Integer value, int defaultValue) {
    return value == null ? defaultValue : value;
  }
}
