#!/usr/bin/env bash
# Runs every test tier: unit tests (*Test), the real API server with libvirt's test driver (*IT), real QEMU
# guests through libvirt (*E2E), the chaos suite, and the suite on a real Xen nested in QEMU (-Pxen-e2e; the suite builds its
# image once through hack/build-xen-host.sh). Extra arguments go to Maven (e.g. -Dit.test=SchedulingIT).
set -euo pipefail
cd "$(dirname "$0")/.."

bash hack/setup-host.sh
UNIKERNETES_CONTROL_PLANE_BIN="$(bash hack/build-control-plane.sh)"
export UNIKERNETES_CONTROL_PLANE_BIN
UNIKERNETES_HELM="$(bash hack/build-helm.sh)"
export UNIKERNETES_HELM
UNIKERNETES_OCI_TOOLS="$(bash hack/build-oci-tools.sh)"
export UNIKERNETES_OCI_TOOLS
mvn -B -ntp verify -Pxen-e2e "$@"
