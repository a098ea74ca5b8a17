#!/usr/bin/env bash
# Wake-from-zero benchmark (issue 14): first request -> first byte from a scale-to-zero deployment at zero,
# through its Service's activator, against the same guest's own create -> Ready -> first byte in the same run,
# on real QEMU guests in two network namespaces of its own (run as root, after hack/setup-host.sh).
# Usage: hack/bench-wake.sh [wakes]   (default 20)
exec bash "$(dirname "$0")/bench.sh" WakeBenchmark "$@"
