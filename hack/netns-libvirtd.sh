#!/usr/bin/env bash
# A private libvirtd whose QEMU guests sit on a bridge inside a network namespace of its own, for tests and
# the demo: the bridge, the guests' taps and their traffic never touch the host's network, and the host's own
# libvirtd, its domains and its files are left alone. Usage (as root):
#   hack/netns-libvirtd.sh up STATE_DIR NETNS [BRIDGE GATEWAY/PREFIX] prints the libvirt URI of the daemon
#   hack/netns-libvirtd.sh down STATE_DIR NETNS                      destroys its domains, stops it, drops NETNS
# How: in a private mount namespace (unshare), libvirt's /etc, /run, /var/lib, /var/cache and /var/log
# directories are bind mounts of STATE_DIR's, so this daemon shares no socket, config or domain status with the
# host's; it runs inside NETNS (ip netns exec), where BRIDGE holds GATEWAY (without BRIDGE, an agent's libvirt
# network makes the bridge: --guest-network); it runs as "libvirtd-netns"
# (a symlink), so tools that look for a process named libvirtd never take it for the host's. QEMU runs as
# root without a security driver or cgroups, as a throwaway test host allows. Processes in NETNS (probes,
# curl) reach the guests: `ip netns exec NETNS curl http://GUEST:8080/`.
set -euo pipefail

log() { echo "[netns-libvirtd] $*" >&2; }
usage() { sed -n '2,5p' "$0" >&2; exit 2; }
[ $# -ge 3 ] || usage
action="$1" state="$(realpath -m "$2")" netns="$3"
uri="qemu+unix:///system?socket=$state/run/libvirt/libvirt-sock"

stop_pid() { # pidfile, expected process name
  [ -s "$1" ] || return 0
  local pid
  pid="$(cat "$1")"
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] || return 0
  kill -TERM "$pid"
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

case "$action" in
up)
  [ $# -eq 3 ] || [ $# -eq 5 ] || usage
  bridge="${4:-}" gateway="${5:-}"
  mkdir -p "$state/bin" "$state/etc/libvirt" "$state/run/libvirt" "$state/lib/libvirt" "$state/cache/libvirt" \
    "$state/log/libvirt"
  ln -sf "$(command -v libvirtd)" "$state/bin/libvirtd-netns"
  cat >"$state/etc/libvirt/libvirtd.conf" <<CONF
listen_tls = 0
listen_tcp = 0
unix_sock_dir = "/run/libvirt"
unix_sock_rw_perms = "0700"
unix_sock_ro_perms = "0700"
unix_sock_admin_perms = "0700"
auth_unix_rw = "none"
auth_unix_ro = "none"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
CONF
  cat >"$state/etc/libvirt/qemu.conf" <<CONF
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
cgroup_controllers = [ ]
stdio_handler = "file"
namespaces = [ ]
CONF
  [ -e "/run/netns/$netns" ] || ip netns add "$netns"
  ip netns exec "$netns" ip link set lo up
  # Checked by the bridge, not the namespace: a namespace left by a failed run may lack it.
  if [ -n "$bridge" ] && ! ip netns exec "$netns" ip link show "$bridge" >/dev/null 2>&1; then
    ip netns exec "$netns" ip link add "$bridge" type bridge
    ip netns exec "$netns" ip link set "$bridge" type bridge stp_state 0 forward_delay 0
    ip netns exec "$netns" ip addr add "$gateway" dev "$bridge"
    ip netns exec "$netns" ip link set "$bridge" up
  fi
  if ! virsh -q -c "$uri" version >/dev/null 2>&1; then
    rm -f "$state"/run/libvirt/*-sock*
    cat >"$state/inner.sh" <<INNER
set -e
mount --bind "$state/etc/libvirt" /etc/libvirt
mount --bind "$state/run/libvirt" /run/libvirt
mount --bind "$state/lib/libvirt" /var/lib/libvirt
mount --bind "$state/cache/libvirt" /var/cache/libvirt
mount --bind "$state/log/libvirt" /var/log/libvirt
# Under tini as a child subreaper, which reaps its QEMU processes at once (hack/start-libvirtd.sh says why).
exec tini -s -- ip netns exec "$netns" "$state/bin/libvirtd-netns" -f /etc/libvirt/libvirtd.conf -p "$state/libvirtd.pid"
INNER
    nohup unshare --mount --propagation private bash "$state/inner.sh" >"$state/libvirtd.out" 2>&1 &
    for _ in $(seq 1 300); do
      virsh -q -c "$uri" version >/dev/null 2>&1 && break
      sleep 0.1
    done
    virsh -q -c "$uri" version >/dev/null 2>&1 || { log "libvirtd did not answer on $uri:"; cat "$state/libvirtd.out" >&2; exit 1; }
  fi
  log "libvirtd-netns answers on $uri; netns $netns${bridge:+, bridge $bridge ($gateway)}"
  echo "$uri"
  ;;
down)
  if virsh -q -c "$uri" version >/dev/null 2>&1; then
    for domain in $(virsh -q -c "$uri" list --all --name); do
      virsh -q -c "$uri" destroy "$domain" >/dev/null 2>&1 || true
      virsh -q -c "$uri" undefine "$domain" >/dev/null 2>&1 || true
    done
    # Destroying a network stops its dnsmasq; undefining it keeps the next run from starting it again.
    for network in $(virsh -q -c "$uri" net-list --all --name); do
      virsh -q -c "$uri" net-destroy "$network" >/dev/null 2>&1 || true
      virsh -q -c "$uri" net-undefine "$network" >/dev/null 2>&1 || true
    done
  fi
  stop_pid "$state/libvirtd.pid" libvirtd-netns
  for pidfile in "$state"/run/libvirt/network/*.pid; do # a dnsmasq whose libvirtd died first
    case "$pidfile" in */driver.pid) continue ;; esac
    stop_pid "$pidfile" dnsmasq
  done
  for pidfile in "$state"/run/libvirt/qemu/*.pid; do
    [ -s "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    case "$(cat "/proc/$pid/comm" 2>/dev/null)" in qemu-system-*) kill -KILL "$pid" ;; esac
  done
  if [ -e "/run/netns/$netns" ]; then ip netns del "$netns"; fi
  log "stopped; netns $netns removed"
  ;;
*) usage ;;
esac
