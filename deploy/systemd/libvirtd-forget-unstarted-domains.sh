#!/usr/bin/env bash
# Runs before libvirtd starts (ExecStartPre in libvirtd.service.d/unikernetes.conf). Usage:
#   libvirtd-forget-unstarted-domains.sh [qemu-state-dir]   (default /run/libvirt/qemu)
#
# Why: libvirt's QEMU driver saves a starting domain's status (state "paused, starting up", a start job,
# pid 0) before it has a QEMU process. If libvirtd dies in that window, the restarted daemon does not
# reconnect to the domain (there is no pid to reconnect to) yet restores the start job, so the domain
# stays "paused (starting up)" for good and every destroy, undefine or start of it fails with "cannot
# acquire state change lock". Seen with libvirt 9.0 (Debian 12) after kill -9 of libvirtd during a boot.
# Removing that status file makes libvirt load the domain as what it is, defined and shut off; the agent
# then boots it again or removes it like any other. Only Unikernetes domains are touched. A QEMU that had been forked for it but never recorded
# is killed first: libvirt would never manage it.
set -euo pipefail

dir=${1:-/run/libvirt/qemu}
# The system daemons only, by pid file and process name (a pid file left by a killed daemon may name a reused
# pid); a session libvirtd keeps its domains elsewhere.
for daemon in libvirtd virtqemud; do
  pid=$(cat "/run/$daemon.pid" 2>/dev/null || true)
  if [[ "$pid" =~ ^[0-9]+$ ]] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$daemon" ]; then
    echo "libvirtd-forget-unstarted-domains: $daemon is running; run this only before it starts" >&2
    exit 1
  fi
done
for status in "$dir"/*.xml; do
  [ -e "$status" ] || continue
  grep -q -m1 "<domstatus [^>]*pid='0'" "$status" || continue
  # Unikernetes guests only (their metadata): other VMs, with disks a second QEMU must never share, are left
  # to their owner.
  grep -qF "https://unikernetes.io/xmlns/guest/v1alpha1" "$status" || continue
  name=$(basename "$status" .xml)
  pidfile="$dir/$name.pid"
  pid=$(cat "$pidfile" 2>/dev/null || true)
  if [[ "$pid" =~ ^[0-9]+$ ]] && grep -aqF "guest=$name," "/proc/$pid/cmdline" 2>/dev/null; then
    kill -KILL "$pid"
  fi
  rm -f "$status" "$pidfile"
  echo "libvirtd-forget-unstarted-domains: $name was still starting when libvirtd stopped; it is now shut off" >&2
done
