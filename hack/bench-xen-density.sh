#!/usr/bin/env bash
# Xen density benchmark (issue 12): on the nested Xen host (built and cached like the Xen suite's), the agent
# in dom0 starts 8Mi PVH hello guests until the node is full; prints create -> Running at N = 1, 10, 50, 100
# and the last that fits, guests per GiB, Xen's memory per guest and the guests' CPU at rest.
# Usage: hack/bench-xen-density.sh
exec bash "$(dirname "$0")/bench.sh" XenDensityBenchmark "$@"
