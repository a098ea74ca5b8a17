#!/usr/bin/env bash
# Builds a pinned Kubernetes control plane (kube-apiserver, kube-controller-manager, kubectl, etcd)
# from the Go module proxy, once, into a cache outside the repository. Prints the bin directory.
#
# k8s.io/kubernetes cannot be `go install`ed directly: its go.mod replaces the k8s.io/* staging
# modules with local paths. We build it from a throwaway wrapper module that re-points each of those
# replaces at the published staging module of the same release (v1.X.Y -> v0.X.Y).
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-v1.34.3}"
ETCD_VERSION="${ETCD_VERSION:-v3.6.13}"
CACHE_ROOT="${UNIKERNETES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/unikernetes}"
BIN_DIR="$CACHE_ROOT/control-plane/k8s-$K8S_VERSION-etcd-$ETCD_VERSION/bin"
BINARIES=(kube-apiserver kube-controller-manager kubectl etcd)

log() { echo "[control-plane] $*" >&2; }

all_present() {
  for b in "${BINARIES[@]}"; do [ -x "$BIN_DIR/$b" ] || return 1; done
}

if all_present; then
  echo "$BIN_DIR"
  exit 0
fi

command -v go >/dev/null || { log "the go tool is required (https://go.dev/doc/install)"; exit 1; }
mkdir -p "$BIN_DIR"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export GOFLAGS="${GOFLAGS:--buildvcs=false} -trimpath"
export CGO_ENABLED=0

build_kubernetes() {
  local mod="$work/k8s"
  mkdir -p "$mod" && cd "$mod"
  go mod init unikernetes.local/control-plane >/dev/null 2>&1
  local gomod
  gomod="$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  [ -f "$gomod" ] || { log "could not download k8s.io/kubernetes@$K8S_VERSION"; exit 1; }
  local staging="v0.${K8S_VERSION#v1.}"
  {
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo "replace ("
    grep -E '^\s*k8s\.io/[a-z0-9.-]+ => \./staging/' "$gomod" | awk -v v="$staging" '{print "\t" $1 " => " $1 " " v}'
    echo ")"
  } >> go.mod
  log "resolving k8s.io/kubernetes $K8S_VERSION (staging modules at $staging)"
  cat > tools.go <<'EOF'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
EOF
  go mod tidy >&2
  local minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
  for cmd in kube-apiserver kube-controller-manager kubectl; do
    log "building $cmd"
    go build -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor" \
      -o "$BIN_DIR/$cmd.tmp" "k8s.io/kubernetes/cmd/$cmd"
    mv "$BIN_DIR/$cmd.tmp" "$BIN_DIR/$cmd"
  done
}

build_etcd() {
  local mod="$work/etcd"
  mkdir -p "$mod" && cd "$mod"
  go mod init unikernetes.local/etcd >/dev/null 2>&1
  cat > tools.go <<'EOF'
//go:build tools

package tools

import _ "go.etcd.io/etcd/server/v3"
EOF
  go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >&2
  go mod tidy -e >&2
  log "building etcd $ETCD_VERSION"
  go build -ldflags "-s -w" -o "$BIN_DIR/etcd.tmp" go.etcd.io/etcd/server/v3
  mv "$BIN_DIR/etcd.tmp" "$BIN_DIR/etcd"
}

[ -x "$BIN_DIR/etcd" ] || build_etcd
for b in kube-apiserver kube-controller-manager kubectl; do
  [ -x "$BIN_DIR/$b" ] || { build_kubernetes; break; }
done
all_present || { log "build finished but binaries are missing in $BIN_DIR"; exit 1; }
echo "$BIN_DIR"
