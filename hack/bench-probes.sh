#!/usr/bin/env bash
# Probe overhead benchmark (issue 9): N guests' readiness probes every second through the agent's probe
# scheduler against a loopback HTTP server, against N plain sequential GETs in the same run.
# Usage: hack/bench-probes.sh [guests] [seconds]   (default 100 30)
exec bash "$(dirname "$0")/bench.sh" ProbeBenchmark "$@"
