#!/usr/bin/env bash
# Probe overhead benchmark (issue 9): N guests' readiness probes every second through the agent's probe
# scheduler against a loopback HTTP server, against N plain sequential GETs in the same run.
# Usage: hack/bench-probes.sh [guests] [seconds]   (default 100 30)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp install -DskipTests
classpath_file="$(mktemp)"
trap 'rm -f "$classpath_file"' EXIT
mvn -B -q -ntp -pl e2e-tests dependency:build-classpath -Dmdep.outputFile="$classpath_file" >/dev/null
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "e2e-tests/target/classes:$(cat "$classpath_file")" io.unikernetes.e2e.bench.ProbeBenchmark "$@"
