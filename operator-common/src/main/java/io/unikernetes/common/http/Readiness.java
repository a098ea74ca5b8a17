package io.unikernetes.common.http;

import io.javaoperatorsdk.operator.Operator;
import java.util.ArrayList;
import java.util.List;

/** Why a java-operator-sdk operator is not ready: not started yet, or which controller's event source is unhealthy. */
public final class Readiness {

  private Readiness() {
  }

  public static List<String> problems(Operator operator) {
    var runtime = operator.getRuntimeInfo();
    if (!runtime.isStarted()) {
      return List.of("controllers not started (waiting for leadership or informer sync)");
    }
    List<String> problems = new ArrayList<>();
    runtime.unhealthyEventSources().forEach((controller, sources) -> sources.forEach((name, health) ->
        problems.add("controller " + controller + ": event source " + name + " is " + health.getStatus())));
    return problems;
  }
}
