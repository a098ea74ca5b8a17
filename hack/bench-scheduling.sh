#!/usr/bin/env bash
# Scheduling benchmark (issue 12): binds N Unikernels across 100 simulated XenNodes on a local real API server
# and prints the time against the same API writes by a bare client, the operator's heap, and hosts used
# against the lower bound. Usage: hack/bench-scheduling.sh [N ...]   (default 1000 10000)
exec bash "$(dirname "$0")/bench.sh" SchedulingBenchmark "$@"
