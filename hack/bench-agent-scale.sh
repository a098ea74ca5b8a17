#!/usr/bin/env bash
# Agent-at-scale benchmark (issue 12): one xen-agent (its runnable jar, default JVM settings) holds N guests
# on libvirt's test driver, against a local real API server and the operator. Prints apply -> all Running and
# delete -> all gone next to floors measured in the same run (raw libvirt calls plus bare API writes), then
# the agent's RSS and its CPU at rest. Usage: hack/bench-agent-scale.sh [N]   (default 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
UNIKERNETES_CONTROL_PLANE_BIN="$(bash hack/build-control-plane.sh)"
export UNIKERNETES_CONTROL_PLANE_BIN
mvn -B -q -ntp install -DskipTests
classpath_file="$(mktemp)"
trap 'rm -f "$classpath_file"' EXIT
mvn -B -q -ntp -pl e2e-tests dependency:build-classpath -Dmdep.outputFile="$classpath_file" >/dev/null
exec java -Dunikernetes.repo="$PWD" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "e2e-tests/target/classes:$(cat "$classpath_file")" io.unikernetes.e2e.bench.AgentScaleBenchmark "$@"
