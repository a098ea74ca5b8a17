#!/usr/bin/env bash
# Builds the serving test guest once, from Debian packages only, into a cache outside the repository:
# Debian's kernel (linux-image-amd64's current version) and a busybox-static initramfs whose /init
# (guests/serving/init) configures eth0 from the kernel command line or by DHCP and answers HTTP on port 8080;
# and disk.img, a 10 MiB ext4 disk holding the same root file system, which the guest boots from given
# uk.root=/dev/vda (QEMU) or /dev/xvda (Xen). Boots through libvirt's direct kernel boot on QEMU (and as a PV
# guest on Xen). Needs 96 MiB of guest memory (88 MiB measured as the least). Prints the directory holding
# vmlinuz, initrd.img and disk.img.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[build-serving-guest] $*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

CACHE_ROOT="${UNIKERNETES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/unikernetes}"
for tool in cpio gzip apt-get apt-cache dpkg-deb mke2fs; do
  command -v "$tool" >/dev/null || { log "$tool missing: run hack/setup-host.sh"; exit 1; }
done
# The initramfs has no libc: busybox must be the static build (Debian's busybox-static).
busybox_bin=/bin/busybox
if ldd "$busybox_bin" >/dev/null 2>&1; then
  log "$busybox_bin is dynamically linked: install busybox-static (hack/setup-host.sh does)"
  exit 1
fi

kernel_of() { apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}'; }
kernel_pkg="$(kernel_of)"
if [ -z "$kernel_pkg" ]; then
  log "apt knows no linux-image-amd64 yet: apt-get update"
  as_root apt-get update -qq
  kernel_pkg="$(kernel_of)"
fi
[ -n "$kernel_pkg" ] || { log "apt knows no linux-image-amd64 even after apt-get update"; exit 1; }
key="$(cat "$0" guests/serving/init guests/serving/dhcp-event <(echo "$kernel_pkg") "$busybox_bin" | sha256sum | cut -c1-16)"
OUT="$CACHE_ROOT/serving-guest/$key"
if [ -s "$OUT/initrd.img" ] && [ -s "$OUT/vmlinuz" ] && [ -s "$OUT/disk.img" ]; then
  echo "$OUT"
  exit 0
fi
mkdir -p "$CACHE_ROOT/serving-guest"
exec 9>"$CACHE_ROOT/serving-guest/.lock"
flock 9
if [ -s "$OUT/disk.img" ]; then
  echo "$OUT"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log "downloading $kernel_pkg"
(cd "$work" && apt-get download -qq "$kernel_pkg")
dpkg-deb -x "$work"/"$kernel_pkg"_*.deb "$work/kernel"
kver="${kernel_pkg#linux-image-}"
root="$work/root"
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/lib/modules"
cp "$busybox_bin" "$root/bin/busybox"
for applet in sh mount umount switch_root ip insmod httpd nc sed printf cat echo sleep hostname mkdir udhcpc ls grep \
  tr dd od sync; do
  ln -s busybox "$root/bin/$applet"
done
modules="$work/kernel/lib/modules/$kver/kernel"
# virtio-net and what it needs (QEMU), netfront (Xen); virtio-blk and blkfront with ext4 and what it needs, to
# mount a root disk; Debian builds them all as modules.
for m in drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_modern_dev \
  drivers/virtio/virtio_pci_legacy_dev drivers/virtio/virtio_pci net/core/failover drivers/net/net_failover \
  drivers/net/virtio_net drivers/net/xen-netfront drivers/block/virtio_blk drivers/block/xen-blkfront lib/crc16 \
  fs/mbcache fs/jbd2/jbd2 crypto/crc32c_generic fs/ext4/ext4; do
  if [ -e "$modules/$m.ko" ]; then
    cp "$modules/$m.ko" "$root/lib/modules/"
  elif ! grep -qs "kernel/$m.ko" "$work/kernel/lib/modules/$kver/modules.builtin"; then
    log "$kernel_pkg has no $m.ko (compressed? moved?): the guest would have no network; update this script"
    exit 1
  fi
done
install -m 0755 guests/serving/init "$root/init"
install -m 0755 guests/serving/dhcp-event "$root/bin/dhcp-event"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) > "$work/initrd.img"
# The disk: the same root, marked, as ext4 made from the directory (no mount, no loop device).
cp -a "$root" "$work/disk-root"
echo "serving guest root disk" > "$work/disk-root/.disk-root"
mke2fs -q -t ext4 -L ukroot -E root_owner=0:0 -d "$work/disk-root" "$work/disk.img" 10M >&2
cp "$work/kernel/boot/vmlinuz-$kver" "$work/vmlinuz"
mkdir -p "$OUT.tmp"
mv "$work/initrd.img" "$work/vmlinuz" "$work/disk.img" "$OUT.tmp/"
rm -rf "$OUT" && mv "$OUT.tmp" "$OUT"
log "built $OUT from $kernel_pkg"
echo "$OUT"
