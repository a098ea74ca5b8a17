#!/usr/bin/env bash
# Starts the local environment in the background and leaves it up: a local control plane (etcd,
# kube-apiserver, kube-controller-manager), the operator, one xen-agent on qemu:///system (XenNode "local")
# and an artifact server for guests' images on loopback. It survives the shell that started it. Prints the
# KUBECONFIG to export and how to stop it (hack/local-down.sh). Idempotent: when it is up already, it only prints.
#
# Usage: hack/local-up.sh [--no-build]     (--no-build: use the jar already built in local/target)
# State, kubeconfig and logs: $UNIKERNETES_LOCAL_DIR (default ~/.unikernetes/local). Needs root, as the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE="${UNIKERNETES_LOCAL_DIR:-$HOME/.unikernetes/local}"
build=true
for arg in "$@"; do
  case "$arg" in
    --no-build) build=false ;;
    -h|--help) sed -n '2,9p' "$0" | cut -c3-; exit 0 ;;
    *) echo "[local] unknown option $arg (see --help)" >&2; exit 2 ;;
  esac
done

source hack/local-common.sh
mkdir -p "$STATE"
lock_state

if ! running; then
  rm -f "$STATE/ready"
  # Not holding the lock (fd 9): setup-host.sh may start libvirtd, a daemon that would keep it forever.
  bash hack/setup-host.sh 9>&-
  UNIKERNETES_CONTROL_PLANE_BIN="$(bash hack/build-control-plane.sh 9>&-)"
  export UNIKERNETES_CONTROL_PLANE_BIN
  if $build; then
    echo "[local] building (mvn install -pl local,kubectl-plugin -am; log: $STATE/build.log)" >&2
    mvn -B -q -ntp install -DskipTests -pl local,kubectl-plugin -am >"$STATE/build.log" 2>&1 9>&- \
      || { tail -n 40 "$STATE/build.log" >&2; echo "[local] the build failed (log: $STATE/build.log)" >&2; exit 1; }
  fi
  jar="$(ls local/target/unikernetes-local-*-runnable.jar 2>/dev/null | head -n 1 || true)"
  [ -n "$jar" ] || { echo "[local] local/target has no runnable jar: run without --no-build" >&2; exit 1; }
  echo "[local] starting (log: $STATE/local.log)" >&2
  # Its own session, no terminal, not holding our lock (fd 9): closing this shell does not stop it.
  setsid nohup java -XX:+UseSerialGC -Xmx768m -Dunikernetes.repo="$PWD" -jar "$jar" serve "$STATE" \
    >"$STATE/local.log" 2>&1 </dev/null 9>&- &
  pid=$!
elif [ -f "$STATE/ready" ]; then
  echo "[local] already up (pid $pid)" >&2
fi

deadline=$((SECONDS + 300))
until [ -f "$STATE/ready" ]; do
  if ! kill -0 "$pid" 2>/dev/null; then
    tail -n 20 "$STATE/local.log" >&2 || true
    echo "[local] the local environment stopped while starting (log: $STATE/local.log)" >&2
    exit 1
  fi
  [ "$SECONDS" -lt "$deadline" ] || { echo "[local] not up after 300 s (log: $STATE/local.log)" >&2; exit 1; }
  sleep 0.5
done

echo "Local environment up (pid $(ready_value PID)): XenNode local on qemu:///system; state and logs in $STATE"
echo "  export KUBECONFIG=$(ready_value KUBECONFIG)"
command -v kubectl >/dev/null || echo "  export PATH=$(ready_value KUBECTL_DIR):\$PATH"
echo "Try it:     kubectl apply -f $(ready_value HELLO_MANIFEST) && kubectl get unikernels -w"
command -v kubectl-unikernetes >/dev/null || echo "  export PATH=$PWD/kubectl-plugin/target:\$PATH   # kubectl unikernetes"
echo "Your own:   kubectl unikernetes run mine --kernel ./my-kernel.elf --cmdline '...'"
echo "            kubectl unikernetes logs -f mine"
echo "            (run copies the file to $(ready_value ARTIFACTS_DIR), served at $(ready_value ARTIFACTS_URL))"
echo "Stop it:    bash hack/local-down.sh   (deletes every guest, then stops)"
