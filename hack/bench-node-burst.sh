#!/usr/bin/env bash
# Node-burst benchmark (issue 12): N real QEMU guests (default 150) applied at once to one xen-agent on
# qemu:///system until all are Running, then deleted; floors from the same run: the same domain XML through
# raw libvirt with the best of 1, 2, 4, 8 and 16 threads. Needs libvirtd (hack/setup-host.sh).
# Usage: hack/bench-node-burst.sh [N [THREADS,... [W [RESERVED]]]]   (default 150; the floor tries 1,2,4,8,16
# threads; W guests, default 30, warm the JVMs in an untimed burst first; RESERVED, e.g. 0: the agent runs with
# --reserved-cpus=RESERVED and the floor's domains get the same CPUs, the other ones)
exec bash "$(dirname "$0")/bench.sh" NodeBurstBenchmark "$@"
