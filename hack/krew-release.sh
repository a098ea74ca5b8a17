#!/usr/bin/env bash
# Packs the kubectl plugin for Krew: kubectl-plugin/target/kubectl-unikernetes.tar.gz and, next to it, the Krew
# manifest (kubectl-plugin/krew/unikernetes.yaml) with the version, the archive's URL and its SHA-256 filled in.
# Usage: hack/krew-release.sh VERSION URL    (URL: where the archive will be downloaded from)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: hack/krew-release.sh VERSION URL" >&2; exit 2; }
version="$1" url="$2"
target="$PWD/kubectl-plugin/target"
[ -x "$target/kubectl-unikernetes" ] || { echo "build it first: mvn -pl kubectl-plugin -am package" >&2; exit 1; }
tar -czf "$target/kubectl-unikernetes.tar.gz" -C "$target" kubectl-unikernetes
sha256="$(sha256sum "$target/kubectl-unikernetes.tar.gz" | cut -d' ' -f1)"
url="${url//&/\\&}"   # sed's replacement reads & as the match
sed -e "s|\${VERSION}|$version|; s|\${URL}|$url|; s|\${SHA256}|$sha256|" kubectl-plugin/krew/unikernetes.yaml \
  | grep -v '^# hack/krew-release.sh\|^# goes with a release' >"$target/unikernetes.yaml"
echo "$target/kubectl-unikernetes.tar.gz"
echo "$target/unikernetes.yaml"
