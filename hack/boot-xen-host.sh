#!/usr/bin/env bash
# Boots the Xen test host (built by hack/build-xen-host.sh) in QEMU under software emulation: Xen 4.17 with a
# Debian dom0 running xenstored, xenconsoled, libvirtd (libxl driver) and sshd, ports forwarded to the outer
# host's loopback. Xen's and dom0's console go to stdout; "[dom0-init] XEN HOST READY" means xl, libvirt and
# sshd answer. Stop it with Ctrl-C or SIGTERM: nothing of it persists.
#
#   hack/boot-xen-host.sh [--work DIR] [--ssh-port N] [--libvirt-port N] [--files DIR] [--memory MiB]
#                         [--dom0-memory MiB] [--image DIR]
#   --work DIR         where the boot's initrd and the ssh key go (default ~/.cache/unikernetes/xen-host-run)
#   --ssh-port N       host port of dom0's sshd (default 2222): ssh -p N -i DIR/id_ed25519 root@127.0.0.1
#   --libvirt-port N   host port of dom0's libvirtd (default 16509): virsh -c xen+tcp://127.0.0.1:N/system
#   --files DIR        files added to dom0's root, e.g. etc/unikernetes/xen-agent.env,
#                      etc/unikernetes/agent.kubeconfig and opt/unikernetes/xen-agent.jar start the agent
#   --memory MiB       memory of the emulated machine (default 3072); --dom0-memory MiB: dom0's share (1536)
#   --image DIR        an image hack/build-xen-host.sh printed (default: build or find it now)
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE_ROOT="${UNIKERNETES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/unikernetes}"
work="$CACHE_ROOT/xen-host-run" ssh_port=2222 libvirt_port=16509 files="" memory=3072 dom0_memory=1536 image=""
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
mkdir -p "$overlay/root/.ssh" "$overlay/etc/libvirt" "$overlay/usr/local/sbin"
printf '#!/bin/sh\nexec /usr/bin/tini -- /usr/local/sbin/dom0-boot\n' > "$overlay/init"
cp hack/xen-host/dom0-boot hack/xen-host/unikernetes-xen-agent-service "$overlay/usr/local/sbin/"
cp hack/xen-host/libvirtd.conf "$overlay/etc/libvirt/libvirtd.conf"
cp "$work/id_ed25519.pub" "$overlay/root/.ssh/authorized_keys"
echo xen-host > "$overlay/etc/hostname"
if [ -n "$files" ]; then cp -a "$files/." "$overlay/"; fi
chmod 755 "$overlay/init" "$overlay/usr/local/sbin/"*
chmod 700 "$overlay/root/.ssh"
chmod 600 "$overlay/root/.ssh/authorized_keys"
(cd "$overlay" && find . -print0 | cpio --null -o -H newc --quiet --owner=0:0) > "$work/overlay.cpio"
cat "$image/rootfs.cpio" "$work/overlay.cpio" > "$work/initrd.cpio"

# CPU flags: without -smap dom0 faults at once; without -rdtscp PVH guests hang (no nrip-save under emulation).
exec qemu-system-x86_64 -machine q35 -cpu max,-smap,-rdtscp -accel tcg,tb-size=256 -m "$memory" -smp 2 \
  -display none -monitor none -serial stdio -no-reboot \
  -kernel "$image/xen" \
  -append "console=com1 com1=115200,8n1 dom0_mem=${dom0_memory}M,max:${dom0_memory}M loglvl=all guest_loglvl=all" \
  -initrd "$image/vmlinuz console=hvc0 earlyprintk=xen,$work/initrd.cpio" \
  -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$ssh_port-:22,hostfwd=tcp:127.0.0.1:$libvirt_port-:16509" \
  -device virtio-net-pci,netdev=n0,romfile=
