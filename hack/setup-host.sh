#!/usr/bin/env bash
# Prepares this machine to run real guests: Debian's libvirt + QEMU (software emulation), with libvirtd
# and virtlogd started by hand (no systemd here). Idempotent; needs root.
set -euo pipefail

log() { echo "[setup-host] $*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# lua5.1 + lua-cjson run the Argo CD health checks in the tests, as Argo CD's Lua 5.1 runs them;
# systemd-analyze checks the agent's unit file; ssh reaches the dom0 of the nested Xen test host;
# busybox-static and cpio make the serving test guest's initramfs (hack/build-serving-guest.sh); socat relays
# loopback ports into the tests' network namespaces (NetnsLibvirtd.relay); dnsmasq-base serves DHCP on the
# agent's libvirt network (--guest-network), and libvirt does not pull it in; qemu-utils' qemu-img writes the
# guests' copy-on-write overlays (the agent runs it); e2fsprogs' mke2fs makes the disk test guest's file system;
# nftables' nft notes the traffic to guests (the agent's scale-to-zero activity); tini reaps the QEMU processes
# of the libvirtd it starts (hack/start-libvirtd.sh says why).
PACKAGES=(qemu-system-x86 libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients libvirt0 gcc make binutils
  lua5.1 lua-cjson systemd openssh-client busybox-static cpio socat dnsmasq-base qemu-utils e2fsprogs nftables
  tini)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# libvirtd refuses to start unless the user its QEMU driver is configured for exists.
getent passwd libvirt-qemu >/dev/null || as_root useradd -r -U -M -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu
# QEMU runs as root so it can read the agent's image cache and write console logs wherever the agent asks.
if ! grep -qs '^user = "root"' /etc/libvirt/qemu.conf; then
  printf 'user = "root"\ngroup = "root"\n' | as_root tee -a /etc/libvirt/qemu.conf >/dev/null
fi
as_root mkdir -p /var/log/libvirt/qemu /var/lib/unikernetes

pgrep -x virtlogd >/dev/null || { log "starting virtlogd"; as_root virtlogd -d; }
if [ "$(cat "/proc/$(cat /run/libvirtd.pid 2>/dev/null || echo none)/comm" 2>/dev/null)" != libvirtd ]; then
  log "starting libvirtd"
  as_root bash "$(dirname "$0")/start-libvirtd.sh"
fi
for _ in $(seq 1 60); do
  if as_root virsh -c qemu:///system version >/dev/null 2>&1; then
    log "libvirt answers on qemu:///system"
    exit 0
  fi
  sleep 1
done
log "libvirtd did not answer on qemu:///system within 60 s"
exit 1
