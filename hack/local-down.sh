#!/usr/bin/env bash
# Stops the local environment that hack/local-up.sh started: it deletes every guest first (so no QEMU domain
# outlives it), then stops the agent, the operator and the control plane. Idempotent.
# State: $UNIKERNETES_LOCAL_DIR (default ~/.unikernetes/local); kubeconfig, artifacts and logs stay there.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE="${UNIKERNETES_LOCAL_DIR:-$HOME/.unikernetes/local}"
[ -d "$STATE" ] || { echo "[local] not running (no $STATE)" >&2; exit 0; }

source hack/local-common.sh
lock_state

if ! running; then
  rm -f "$STATE/ready" "$STATE/pid"
  echo "[local] not running" >&2
  exit 0
fi
echo "[local] stopping pid $pid: deleting every guest, then the agent, operator and control plane" >&2
kill -TERM "$pid"
deadline=$((SECONDS + 180))
while kill -0 "$pid" 2>/dev/null; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    kill -KILL "$pid" 2>/dev/null || true
    echo "[local] pid $pid did not stop within 180 s and was killed; guests may be left (virsh list)" >&2
    break
  fi
  sleep 0.5
done
rm -f "$STATE/ready" "$STATE/pid"
echo "[local] stopped" >&2
