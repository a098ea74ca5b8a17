#!/usr/bin/env bash
# Starts this machine's system libvirtd by hand (no systemd here) the way libvirtd.service with the drop-in in
# deploy/systemd/libvirtd.service.d does: libvirtd-forget-unstarted-domains.sh first (its ExecStartPre), then
# libvirtd in the background. Returns at once; the caller waits until libvirt answers. Needs root.
#
# libvirtd runs under tini as a child subreaper, as a systemd host's libvirtd runs under systemd: a QEMU
# process leaves libvirtd's children when it starts, so its exit is reaped by the nearest subreaper, else by
# PID 1, and libvirt's destroy returns only once the pid is gone (kill(pid, 0) every 200 ms). This sandbox's
# PID 1 reaps orphans every second or two: each destroy took 1.4-2.0 s, against 0.2 s under tini.
set -euo pipefail

command -v tini >/dev/null || { echo "start-libvirtd: tini is missing: run hack/setup-host.sh" >&2; exit 1; }
bash "$(dirname "$0")/../deploy/systemd/libvirtd-forget-unstarted-domains.sh"
mkdir -p /var/log/libvirt
# libvirtd in the foreground (no -d): were it to fork away, tini would exit and the subreaper with it.
setsid -f tini -s -- libvirtd </dev/null >>/var/log/libvirt/libvirtd.out 2>&1
