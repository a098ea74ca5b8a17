#!/usr/bin/env bash
# Builds a pinned Helm CLI from the Go module proxy, once, into a cache outside the repository.
# Prints the path of the helm binary.
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v3.19.0}"
CACHE_ROOT="${UNIKERNETES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/unikernetes}"
BIN_DIR="$CACHE_ROOT/helm-$HELM_VERSION/bin"

if [ -x "$BIN_DIR/helm" ]; then
  echo "$BIN_DIR/helm"
  exit 0
fi
command -v go >/dev/null || { echo "[helm] the go tool is required" >&2; exit 1; }
mkdir -p "$BIN_DIR"
echo "[helm] building helm $HELM_VERSION" >&2
CGO_ENABLED=0 GOBIN="$BIN_DIR" GOFLAGS="${GOFLAGS:--buildvcs=false} -trimpath" \
  go install -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
  "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
echo "$BIN_DIR/helm"
