#!/usr/bin/env bash
# Only the end-to-end suite on a real Xen (XenGuestE2E), through hack/test.sh: builds the Xen test host image
# once (hack/build-xen-host.sh, Debian packages only, cached), starts the local control plane and the operator
# here, boots Xen 4.17 with a Debian dom0 nested in QEMU, runs the xen-agent in dom0 under systemd with the
# shipped unit on xen:///system, and drives PVH and PV guests through kubectl. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
exec bash hack/test.sh -pl e2e-tests -am -Dit.test=XenGuestE2E "$@"
