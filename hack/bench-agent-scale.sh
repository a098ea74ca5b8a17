#!/usr/bin/env bash
# Agent-at-scale benchmark (issue 12): one xen-agent (its runnable jar, the systemd unit's JVM options) holds N guests
# on libvirt's test driver, against a local real API server and the operator. Prints apply -> all Running and
# delete -> all gone next to floors measured in the same run (raw libvirt calls plus bare API writes), then
# the agent's RSS and its CPU at rest. Usage: hack/bench-agent-scale.sh [N]   (default 1000)
exec bash "$(dirname "$0")/bench.sh" AgentScaleBenchmark "$@"
