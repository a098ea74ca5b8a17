package io.unikernetes.operator.activator;

/** One Service port the activator stands in for: namespace, Service name and the port's name (or number). */
public record RouteKey(String namespace, String service, String port) {

  @Override
  public String toString() {
    return namespace + "/" + service + ":" + port;
  }
}
