#!/usr/bin/env bash
# Runs one benchmark of e2e-tests (class io.unikernetes.e2e.bench.NAME) on freshly built modules, with the
# local control plane's binaries built or taken from the cache. Benchmarks print figures; they assert nothing.
# Usage: hack/bench.sh NAME [args...]   (see hack/bench-*.sh for each one's arguments)
set -euo pipefail
cd "$(dirname "$0")/.."
name="$1"
shift
UNIKERNETES_CONTROL_PLANE_BIN="$(bash hack/build-control-plane.sh)"
export UNIKERNETES_CONTROL_PLANE_BIN
mvn -B -q -ntp install -DskipTests
classpath_file="$(mktemp)"
trap 'rm -f "$classpath_file"' EXIT
mvn -B -q -ntp -pl e2e-tests dependency:build-classpath -Dmdep.outputFile="$classpath_file" >/dev/null
UNIKERNETES_LOG_LEVEL=warn java -Dunikernetes.repo="$PWD" \
  -cp "e2e-tests/target/classes:$(cat "$classpath_file")" "io.unikernetes.e2e.bench.$name" "$@"
