package io.unikernetes.operator.scheduler;

import java.util.Map;

/** What the scheduler knows of one XenNode. */
public record NodeCandidate(String name, Map<String, String> labels, boolean ready, boolean cordoned,
    Resources allocatable) {
}
