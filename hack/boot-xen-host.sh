#!/usr/bin/env bash
# Boots the Xen test host (built by hack/build-xen-host.sh) in QEMU under software emulation: Xen 4.17 with a
# Debian dom0 whose systemd runs Debian's Xen init script (xenstored, xenconsoled), libvirtd (libxl driver) and
# sshd, ports forwarded to the outer host's loopback. Xen's and dom0's console go to stdout;
# "[dom0-init] XEN HOST READY" means xl, libvirt and sshd answer. Stop it with Ctrl-C or SIGTERM: nothing of
# it persists.
#
#   hack/boot-xen-host.sh [--work DIR] [--ssh-port N] [--libvirt-port N] [--files DIR] [--memory MiB]
#                         [--dom0-memory MiB] [--image DIR] [--cluster-tap NAME]
#   --work DIR         where the boot's initrd and the ssh key go (default ~/.cache/unikernetes/xen-host-run)
#   --ssh-port N       host port of dom0's sshd (default 2222): ssh -p N -i DIR/id_ed25519 root@127.0.0.1
#   --libvirt-port N   host port of dom0's libvirtd (default 16509): virsh -c xen+tcp://127.0.0.1:N/system
#   --files DIR        files added to dom0's root, e.g. the agent as deploy/systemd installs it: its unit in
#                      etc/systemd/system (and multi-user.target.wants), etc/unikernetes/xen-agent.env,
#                      etc/unikernetes/agent.kubeconfig, opt/unikernetes/xen-agent.jar
#   --memory MiB       memory of the emulated machine (default 3584); --dom0-memory MiB: dom0's share (2048:
#                      its root file system lives in memory, and the initrd with it while it is unpacked)
#   --image DIR        an image hack/build-xen-host.sh printed (default: build or find it now)
#   --cluster-tap NAME a second NIC, dom0's eth1, on a tap device QEMU creates under that name (run as root):
#                      move it into a network namespace of your own and route guest subnets through it, as a
#                      cluster network reaches its Xen hosts. dom0 leaves eth1 down and unaddressed.
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE_ROOT="${UNIKERNETES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/unikernetes}"
work="$CACHE_ROOT/xen-host-run" ssh_port=2222 libvirt_port=16509 files="" memory=3584 dom0_memory=2048 image=""
cluster_tap=""
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --work) work="$2" ;;
    --ssh-port) ssh_port="$2" ;;
    --libvirt-port) libvirt_port="$2" ;;
    --files) files="$2" ;;
    --memory) memory="$2" ;;
    --dom0-memory) dom0_memory="$2" ;;
    --image) image="$2" ;;
    --cluster-tap) cluster_tap="$2" ;;
    *) usage ;;
  esac
  shift 2 || usage
done
command -v qemu-system-x86_64 >/dev/null || { echo "qemu-system-x86_64 is missing: run hack/setup-host.sh" >&2; exit 1; }
[ -n "$image" ] || image="$(bash hack/build-xen-host.sh)"
# The overlay's directory entries replace the modes of /, /root, /etc ... when the kernel unpacks it.
umask 022
mkdir -p "$work"
[ -f "$work/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C unikernetes-xen-host -f "$work/id_ed25519"

# What this boot adds to the cached rootfs: a second cpio archive appended to the first, which the kernel
# unpacks over it.
overlay="$work/overlay"
rm -rf "$overlay"
mkdir -p "$overlay/root/.ssh" "$overlay/etc/libvirt" "$overlay/etc/default" "$overlay/usr/local/sbin" \
  "$overlay/etc/systemd/system/multi-user.target.wants"
# /init hands over to systemd, unless the kernel could not unpack the whole initrd: the initramfs root is a
# tmpfs sized at half of dom0's early memory, while the initrd itself still occupies memory.
cat > "$overlay/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
if dmesg | grep -q "Initramfs unpacking failed"; then
  echo "[dom0-init] FAILED: the initrd did not fit in dom0's memory: raise --dom0-memory" > /dev/console
  exec sleep infinity
fi
mount -o remount,size=85% / # room for guests' console logs, the image cache and the journal
umount /proc
exec /sbin/init
INIT
cp hack/xen-host/xen-host-setup "$overlay/usr/local/sbin/"
cp hack/xen-host/libvirtd.conf "$overlay/etc/libvirt/libvirtd.conf"
cp hack/xen-host/default-xen "$overlay/etc/default/xen"
for unit in xen-host-setup.service libvirtd.service xen-host-ready.service; do
  cp "hack/xen-host/$unit" "$overlay/etc/systemd/system/"
  ln -s "../$unit" "$overlay/etc/systemd/system/multi-user.target.wants/$unit"
done
ln -s /lib/systemd/system/ssh.service "$overlay/etc/systemd/system/multi-user.target.wants/ssh.service"
cp "$work/id_ed25519.pub" "$overlay/root/.ssh/authorized_keys"
echo xen-host > "$overlay/etc/hostname"
if [ -n "$files" ]; then cp -a "$files/." "$overlay/"; fi
chmod 755 "$overlay/init" "$overlay/usr/local/sbin/"*
chmod 700 "$overlay/root/.ssh"
chmod 600 "$overlay/root/.ssh/authorized_keys"
# Sorted: /init comes before the large files, so it is whole even when the root runs out of space.
(cd "$overlay" && find . -print0 | sort -z | cpio --null -o -H newc --quiet --owner=0:0) > "$work/overlay.cpio"
cat "$image/rootfs.cpio" "$work/overlay.cpio" > "$work/initrd.cpio"

cluster_nic=()
if [ -n "$cluster_tap" ]; then
  cluster_nic=(-netdev "tap,id=n1,ifname=$cluster_tap,script=no,downscript=no" -device virtio-net-pci,netdev=n1,romfile=)
fi

# CPU flags: without -smap dom0 faults at once; without -rdtscp PVH guests hang (no nrip-save under emulation);
# without -xsave, once a Linux domU runs, dom0's AVX registers are corrupted across Xen's context switches
# (QEMU 7.2's emulated XSAVE): the JVM aborts and sshd faults in libcrypto (docs/notes.md). Without XSAVE no
# one enables AVX, and dom0 and guests save their FPU state with FXSAVE.
exec qemu-system-x86_64 -machine q35 -cpu max,-smap,-rdtscp,-xsave -accel tcg,tb-size=256 -m "$memory" -smp 2 \
  -display none -monitor none -serial stdio -no-reboot \
  -kernel "$image/xen" \
  -append "console=com1 com1=115200,8n1 dom0_mem=${dom0_memory}M,max:${dom0_memory}M loglvl=all guest_loglvl=all" \
  -initrd "$image/vmlinuz console=hvc0 earlyprintk=xen net.ifnames=0,$work/initrd.cpio" \
  -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$ssh_port-:22,hostfwd=tcp:127.0.0.1:$libvirt_port-:16509" \
  -device virtio-net-pci,netdev=n0,romfile= "${cluster_nic[@]}"
