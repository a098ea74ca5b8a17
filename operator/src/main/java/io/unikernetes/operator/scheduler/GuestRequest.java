package io.unikernetes.operator.scheduler;

import java.util.Map;
import java.util.Optional;

/** What one Unikernel asks of a node: resources, a node selector, and optionally the node it is pinned to. */
public record GuestRequest(Resources resources, Map<String, String> nodeSelector, Optional<String> pinnedNode) {
}
