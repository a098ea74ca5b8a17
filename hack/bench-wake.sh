#!/usr/bin/env bash
# Wake-from-zero benchmark (issue 14): first request -> first byte from a scale-to-zero deployment at zero,
# through its Service's activator, against the same guest's own create -> Ready -> first byte in the same run.
# Default: real QEMU guests in two network namespaces of its own. --xen: PV guests on the nested Xen host
# (hack/boot-xen-host.sh, its image built once), the agent in dom0, the cluster network on the tap of dom0's
# second NIC. Run as root, after hack/setup-host.sh.
# Usage: hack/bench-wake.sh [--xen] [wakes]   (default 20)
exec bash "$(dirname "$0")/bench.sh" WakeBenchmark "$@"
