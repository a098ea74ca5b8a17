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
build_log="$(mktemp)"
trap 'rm -f "$build_log"' EXIT
echo "[demo] building (mvn install -pl local -am)" >&2
mvn -B -q -ntp install -DskipTests -pl local -am >"$build_log" 2>&1 \
  || { cat "$build_log" >&2; echo "[demo] the build failed" >&2; exit 1; }
# The components log warnings and errors only; DEMO_LOG_LEVEL=info shows what the controllers do.
UNIKERNETES_LOG_LEVEL="${DEMO_LOG_LEVEL:-warn}" java -Dunikernetes.repo="$PWD" \
  -jar "$(ls local/target/unikernetes-local-*-runnable.jar | head -n 1)" demo
