package io.unikernetes.e2e.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API server's own count of requests ({@code apiserver_request_total} from its /metrics), by resource,
 * subresource, verb and code: a benchmark takes one before and one after a phase and prints the difference per
 * guest, so a ratio against a floor comes with what the product asked the API server for.
 */
record ApiRequests(Map<String, Double> counts) {

  private static final Pattern LINE = Pattern.compile("^apiserver_request_total\\{([^}]*)} ([0-9.e+]+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  /** The counts of requests on {@code resources} (plural names, e.g. unikernels, events) right now. */
  static ApiRequests of(KubernetesClient client, String... resources) {
    java.util.List<String> wanted = java.util.List.of(resources);
    Map<String, Double> counts = new TreeMap<>();
    for (String line : client.raw("/metrics").split("\n")) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>();
      Matcher l = LABEL.matcher(m.group(1));
      while (l.find()) {
        labels.put(l.group(1), l.group(2));
      }
      String resource = labels.getOrDefault("resource", "");
      if (!wanted.contains(resource)) {
        continue;
      }
      String subresource = labels.getOrDefault("subresource", "");
      String key = resource + (subresource.isEmpty() ? "" : "/" + subresource) + " " + labels.get("verb") + " "
          + labels.get("code");
      counts.merge(key, Double.parseDouble(m.group(2)), Double::sum);
    }
    return new ApiRequests(counts);
  }

  /** What was asked between {@code before} and this, per {@code guests}, as "resource verb code: n/guest" lines. */
  String perGuestSince(ApiRequests before, int guests) {
    StringBuilder out = new StringBuilder();
    counts.forEach((key, after) -> {
      double delta = after - before.counts.getOrDefault(key, 0.0);
      if (delta > 0) {
        out.append(String.format("    %-40s %6.2f per guest%n", key, delta / guests));
      }
    });
    return out.toString();
  }
}
