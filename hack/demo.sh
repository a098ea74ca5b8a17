#!/usr/bin/env bash
# The embedded default: a local control plane (etcd, kube-apiserver, kube-controller-manager), the
# operator and one xen-agent on qemu:///system; applies examples/hello.yaml with kubectl, waits until the
# guest runs, prints its READY line and deletes it. Then a second agent whose guests sit on a bridge inside a
# network namespace the demo creates (hack/netns-libvirtd.sh) runs examples/serving.yaml, a guest behind a
# Service, and the demo prints its HTTP answer fetched from inside that namespace. Stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

bash hack/setup-host.sh
UNIKERNETES_CONTROL_PLANE_BIN="$(bash hack/build-control-plane.sh)"
export UNIKERNETES_CONTROL_PLANE_BIN
echo "[demo] building (mvn install -DskipTests)" >&2
mvn -B -q -ntp install -DskipTests
classpath_file="$(mktemp)"
trap 'rm -f "$classpath_file"' EXIT
mvn -B -q -ntp -pl e2e-tests dependency:build-classpath -Dmdep.outputFile="$classpath_file" >/dev/null
exec java -Dunikernetes.repo="$PWD" -Dorg.slf4j.simpleLogger.defaultLogLevel="${DEMO_LOG_LEVEL:-warn}" \
  -Dorg.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils=error -cp "e2e-tests/target/classes:$(cat "$classpath_file")" \
  io.unikernetes.e2e.demo.Demo "$@"
