#!/usr/bin/env bash
# Builds the OCI tools the image tests use, once, from the Go module proxy into a cache outside the repository:
# the CNCF distribution registry (the reference OCI registry, with token auth), the oras CLI (a real client
# to push images the way users do) and cosign (to sign them with a key as users do; the tests sign with
# --key and --tlog-upload=false, which talks to the registry only). Prints the directory holding the binaries.
set -euo pipefail

REGISTRY_VERSION="${REGISTRY_VERSION:-v3.0.0}"
ORAS_VERSION="${ORAS_VERSION:-v1.3.6}"
COSIGN_VERSION="${COSIGN_VERSION:-v2.6.1}"
CACHE_ROOT="${UNIKERNETES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/unikernetes}"
BIN_DIR="$CACHE_ROOT/oci-tools-registry-$REGISTRY_VERSION-oras-$ORAS_VERSION-cosign-$COSIGN_VERSION/bin"

if [ -x "$BIN_DIR/registry" ] && [ -x "$BIN_DIR/oras" ] && [ -x "$BIN_DIR/cosign" ]; then
  echo "$BIN_DIR"
  exit 0
fi
command -v go >/dev/null || { echo "[oci-tools] the go tool is required" >&2; exit 1; }
mkdir -p "$BIN_DIR"
echo "[oci-tools] building registry $REGISTRY_VERSION, oras $ORAS_VERSION and cosign $COSIGN_VERSION" >&2
export CGO_ENABLED=0 GOBIN="$BIN_DIR" GOFLAGS="${GOFLAGS:--buildvcs=false} -trimpath"
go install -ldflags "-s -w" "github.com/distribution/distribution/v3/cmd/registry@$REGISTRY_VERSION" >&2
go install -ldflags "-s -w" "oras.land/oras/cmd/oras@$ORAS_VERSION" >&2
go install -ldflags "-s -w" "github.com/sigstore/cosign/v2/cmd/cosign@$COSIGN_VERSION" >&2
echo "$BIN_DIR"
