#!/usr/bin/env bash
# Prints a kubeconfig for an xen-agent outside the cluster, from the token Secret the chart creates with
# agent.mode=external. Run it where kubectl reaches the cluster as an administrator:
#   make-agent-kubeconfig.sh <release-namespace> <token-secret> [api-server-url] > agent.kubeconfig
set -euo pipefail
namespace="${1:?usage: $0 <namespace> <token-secret> [server-url]}"
secret="${2:?usage: $0 <namespace> <token-secret> [server-url]}"
server="${3:-$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')}"

for _ in $(seq 1 30); do
  token="$(kubectl -n "$namespace" get secret "$secret" -o jsonpath='{.data.token}' | base64 -d)"
  [ -n "$token" ] && break
  sleep 1 # the token controller fills the Secret shortly after it is created
done
[ -n "${token:-}" ] || { echo "secret $namespace/$secret has no token yet" >&2; exit 1; }
ca="$(kubectl -n "$namespace" get secret "$secret" -o jsonpath='{.data.ca\.crt}')"

cat <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: unikernetes
  cluster:
    server: ${server}
$( [ -n "$ca" ] && echo "    certificate-authority-data: ${ca}" || echo "    insecure-skip-tls-verify: true # the Secret carries no CA; pass one for production" )
users:
- name: xen-agent
  user:
    token: ${token}
contexts:
- name: xen-agent
  context:
    cluster: unikernetes
    user: xen-agent
current-context: xen-agent
KUBECONFIG
