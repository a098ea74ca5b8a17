#!/usr/bin/env bash
# Scheduling benchmark (issue: fleets): binds N Unikernels across 20 simulated XenNodes on a local real
# API server and prints the time against N plain status writes, and hosts used against the lower bound.
# Usage: hack/bench-scheduling.sh [N ...]   (default 1000 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
UNIKERNETES_CONTROL_PLANE_BIN="$(bash hack/build-control-plane.sh)"
export UNIKERNETES_CONTROL_PLANE_BIN
mvn -B -q -ntp install -DskipTests
classpath_file="$(mktemp)"
trap 'rm -f "$classpath_file"' EXIT
mvn -B -q -ntp -pl e2e-tests dependency:build-classpath -Dmdep.outputFile="$classpath_file" >/dev/null
exec java -Dunikernetes.repo="$PWD" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "e2e-tests/target/classes:$(cat "$classpath_file")" io.unikernetes.e2e.bench.SchedulingBenchmark "$@"
