#!/usr/bin/env bash
# Builds the Xen test host image from Debian packages only, once, into a cache outside the repository:
#   xen          Xen's hypervisor (xen-hypervisor-4.17-amd64), gunzipped: an ELF that QEMU's -kernel boots
#   vmlinuz      Debian's kernel, the dom0 kernel (Xen dom0, PV and PVH guest support built in)
#   rootfs.cpio  a debootstrap'd bookworm dom0 (systemd, xen-utils, libvirt's Xen driver, a Java runtime, sshd),
#                packed as a newc initramfs; hack/boot-xen-host.sh appends its per-boot files to it
# Prints the image directory. The cache key covers this script and the versions Debian serves of the Xen,
# kernel, libvirt and JDK packages, so a security update of those makes a new image.
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE_ROOT="${UNIKERNETES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/unikernetes}"
SUITE=bookworm
# What dom0 runs: systemd (the agent's unit is the one users install), Xen's tools, libvirt's libxl driver and
# virsh, dnsmasq for the agent's libvirt network (bridge, gateway, DHCP), the agent's Java runtime, sshd for tests;
# qemu-system-xen serves file-backed guest disks (libxl's qdisk backend, as on any Xen host xen-utils recommends
# it for) and qemu-utils' qemu-img writes the agent's copy-on-write overlays.
DOM0_PACKAGES=(systemd systemd-sysv xen-utils-4.17 libvirt-daemon libvirt-daemon-driver-xen libvirt-clients
  dnsmasq-base openjdk-17-jre-headless openssh-server iproute2 procps kmod qemu-system-xen qemu-utils)
# Kernel modules dom0 loads (systemd-modules-load, from the list written into the image); the rest of
# Debian's 400 MB of modules stays out of RAM.
DOM0_MODULES=(xenfs xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xen-blkback xen-netback bridge virtio_pci virtio_net)

log() { echo "[xen-host] $*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

host_tools=()
for tool in debootstrap cpio; do command -v "$tool" >/dev/null || host_tools+=("$tool"); done
if [ "${#host_tools[@]}" -gt 0 ]; then
  log "installing ${host_tools[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${host_tools[@]}" >/dev/null
fi

# The archives this machine's apt already uses (no host names baked in here).
mirror_of() { apt-get indextargets --format '$(SITE) $(RELEASE)' | awk -v r="$1" '$2 == r {print $1; exit}'; }
MAIN_MIRROR="$(mirror_of "$SUITE")"
SECURITY_MIRROR="$(mirror_of "$SUITE-security")"
[ -n "$MAIN_MIRROR" ] && [ -n "$SECURITY_MIRROR" ] || {
  log "apt knows no $SUITE and $SUITE-security archives: add them to /etc/apt/sources.list and run apt-get update"
  exit 1
}

versions="$(apt-cache policy xen-hypervisor-4.17-amd64 xen-utils-4.17 linux-image-amd64 libvirt-daemon-driver-xen \
  openjdk-17-jre-headless | awk '/^[a-z]/ {name = $1} /Candidate:/ {print name " " $2}')"
key="$( { echo "$versions"; cat "$0"; } | sha256sum | cut -c1-16)"
OUT="$CACHE_ROOT/xen-host/$key"
built() { [ -s "$OUT/rootfs.cpio" ] && [ -s "$OUT/xen" ] && [ -s "$OUT/vmlinuz" ]; }
if built; then
  echo "$OUT"
  exit 0
fi
# One build at a time; whoever waited finds the image made.
mkdir -p "$CACHE_ROOT/xen-host"
exec 9>"$CACHE_ROOT/xen-host/.lock"
flock 9
if built; then
  echo "$OUT"
  exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/xen-host.XXXXXX")"
root="$work/rootfs"
staged="$(mktemp -d "$OUT.tmp.XXXXXX")"
cleanup() {
  for m in dev/pts dev sys proc; do as_root umount "$root/$m" 2>/dev/null || true; done
  as_root rm -rf --one-file-system "$work" "$staged"
}
trap cleanup EXIT
started=$SECONDS

log "debootstrap $SUITE (minbase) from $MAIN_MIRROR"
as_root debootstrap --variant=minbase "$SUITE" "$root" "$MAIN_MIRROR" >"$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
as_root tee "$root/etc/apt/sources.list" >/dev/null <<SOURCES
deb $MAIN_MIRROR $SUITE main
deb $MAIN_MIRROR $SUITE-updates main
deb $SECURITY_MIRROR $SUITE-security main
SOURCES
# Packages must not start daemons inside the chroot.
printf '#!/bin/sh\nexit 101\n' | as_root tee "$root/usr/sbin/policy-rc.d" >/dev/null
as_root chmod 755 "$root/usr/sbin/policy-rc.d"
as_root mount -t proc proc "$root/proc"
as_root mount -t sysfs sys "$root/sys"
as_root mount --bind /dev "$root/dev"
as_root mount --bind /dev/pts "$root/dev/pts"
in_root() { as_root chroot "$root" env DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }

log "installing ${DOM0_PACKAGES[*]} (with $SUITE-security, so tools match the hypervisor's version)"
in_root apt-get update -qq
in_root apt-get install -y -qq --no-install-recommends "${DOM0_PACKAGES[@]}" >"$work/install.log" 2>&1 || {
  tail -n 30 "$work/install.log" >&2; exit 1; }
in_root apt-get upgrade -y -qq >>"$work/install.log" 2>&1

# Hypervisor and kernel are unpacked, not installed: dom0 boots from QEMU's multiboot loader, so neither
# GRUB nor an initramfs generator has anything to do.
kernel_pkg="$(in_root apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')"
log "unpacking $kernel_pkg and xen-hypervisor-4.17-amd64"
in_root sh -c "cd /tmp && apt-get download -qq $kernel_pkg xen-hypervisor-4.17-amd64"
xen_version="$(dpkg-deb -f "$root"/tmp/xen-hypervisor-4.17-amd64_*.deb Version)"
as_root dpkg -x "$root"/tmp/xen-hypervisor-4.17-amd64_*.deb "$work/xen"
# Unpacked aside, not over the rootfs: tar would replace the merged-/usr symlink /lib with a directory.
as_root dpkg -x "$root"/tmp/"$kernel_pkg"_*.deb "$work/kernel"
kernel_version="${kernel_pkg#linux-image-}"
as_root mkdir -p "$root/usr/lib/modules"
as_root cp -a "$work/kernel/lib/modules/$kernel_version" "$root/usr/lib/modules/"
in_root depmod "$kernel_version"
keep="$(for m in "${DOM0_MODULES[@]}"; do in_root modprobe -S "$kernel_version" --show-depends "$m"; done |
  awk '$1 == "insmod" {sub("^/lib/", "/usr/lib/", $2); print $2}')"
as_root find "$root/usr/lib/modules/$kernel_version/kernel" -name '*.ko' -print | while read -r module; do
  grep -qxF "${module#"$root"}" <<<"$keep" || as_root rm -f "$module"
done
in_root depmod "$kernel_version"
printf '%s\n' "${DOM0_MODULES[@]}" | as_root tee "$root/etc/modules-load.d/xen-dom0.conf" >/dev/null
as_root sh -c "gunzip -c '$work'/xen/boot/xen-4.17-amd64.gz > '$staged/xen'"
as_root cp "$work/kernel/boot/vmlinuz-$kernel_version" "$staged/vmlinuz"
installed="$(in_root dpkg-query -W -f '${Package} ${Version}\n' xen-utils-4.17 libvirt-daemon-driver-xen \
  openjdk-17-jre-headless)"

log "trimming dom0 for this test host"
# The QEMU driver makes libvirtd insist on a libvirt-qemu user; dom0 runs Xen guests only.
as_root rm -f "$root"/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so
# QEMU's emulated CPU has no VME, and libvirt's libxl driver refuses to start without a CPU model that
# matches; dropping vme from the baseline 486 model lets it pick one. Test host only.
as_root sed -i '/vme/d' "$root/usr/share/libvirt/cpu_map/x86_486.xml"
as_root rm -rf "$root"/boot/* "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/locale/* \
  "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/tmp/* \
  "$root"/usr/sbin/policy-rc.d
for m in dev/pts dev sys proc; do as_root umount "$root/$m"; done

log "packing rootfs.cpio"
as_root sh -c "cd '$root' && find . -print0 | cpio --null -o -H newc --quiet > '$staged/rootfs.cpio'"
{ echo "xen-hypervisor-4.17-amd64 $xen_version"; echo "$installed"; echo "dom0 kernel $kernel_pkg"; } \
  > "$staged/versions.txt"
as_root chown -R "$(id -u):$(id -g)" "$staged"
chmod 755 "$staged"
rm -rf "$OUT" && mv "$staged" "$OUT"
# Images of other keys are stale: Debian moved on, or this script changed.
as_root find "$CACHE_ROOT/xen-host" -mindepth 1 -maxdepth 1 -type d ! -name "$key" -exec rm -rf {} + ||
  log "could not remove all stale images in $CACHE_ROOT/xen-host"
log "built in $((SECONDS - started)) s: $(du -sh "$OUT" | cut -f1) in $OUT"
echo "$OUT"
