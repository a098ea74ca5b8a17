#!/usr/bin/env bash
# Gives one Xen host outside the cluster its own agent identity and prints that agent's kubeconfig. Run it
# where kubectl reaches the cluster as an administrator, once per host:
#   make-agent-kubeconfig.sh <release-namespace> <agent-name> <node-name> [api-server-url] > agent.kubeconfig
# <agent-name> is the chart's agent name (<release>-unikernetes-xen-agent; `helm install` prints it) and
# <node-name> the host's XenNode name (the agent's --node-name). The script makes the ServiceAccount
# <agent-name>.<node-name>, binds it to the chart's agent roles and makes its token Secret; the chart's
# admission policy then lets that credential write only this host's XenNode, Lease and guests. Idempotent.
# Revoke a host with: kubectl -n <namespace> delete serviceaccount <agent-name>.<node-name>
set -euo pipefail
usage="usage: $0 <namespace> <agent-name> <node-name> [server-url]"
namespace="${1:?$usage}"
agent="${2:?$usage}"
node="${3:?$usage}"
server="${4:-$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')}"

account="$agent.$node"
# The token Secret is <account>-token, and every object name holds at most 253 characters.
if [ "$((${#account} + 6))" -gt 253 ] || ! [[ "$node" =~ ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ ]]; then
  echo "node name '$node' must be a DNS subdomain of at most $((246 - ${#agent})) characters here" >&2
  exit 2
fi
kubectl get clusterrole "$agent" >/dev/null || { echo "no ClusterRole $agent: is the chart installed?" >&2; exit 1; }

kubectl apply -f - >&2 <<OBJECTS
apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${account}
  namespace: ${namespace}
  labels: {app.kubernetes.io/component: xen-agent}
automountServiceAccountToken: false
---
apiVersion: v1
kind: Secret
metadata:
  name: ${account}-token
  namespace: ${namespace}
  labels: {app.kubernetes.io/component: xen-agent}
  annotations: {kubernetes.io/service-account.name: "${account}"}
type: kubernetes.io/service-account-token
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ${account}
  labels: {app.kubernetes.io/component: xen-agent}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "${agent}"}
subjects: [{kind: ServiceAccount, name: "${account}", namespace: "${namespace}"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ${account}-heartbeat
  namespace: ${namespace}
  labels: {app.kubernetes.io/component: xen-agent}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: "${agent}-heartbeat"}
subjects: [{kind: ServiceAccount, name: "${account}", namespace: "${namespace}"}]
OBJECTS

for _ in $(seq 1 30); do
  token="$(kubectl -n "$namespace" get secret "$account-token" -o jsonpath='{.data.token}' | base64 -d)"
  [ -n "$token" ] && break
  sleep 1 # the token controller fills the Secret shortly after it is created
done
[ -n "${token:-}" ] || { echo "secret $namespace/$account-token has no token yet" >&2; exit 1; }
ca="$(kubectl -n "$namespace" get secret "$account-token" -o jsonpath='{.data.ca\.crt}')"

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
