#!/usr/bin/env bash
# Builds (once) the Debian bookworm root filesystem the in-container tier's LXC containers start from,
# and prints the path of the cached tarball. Cold: debootstrap from the Debian mirror (~3-4 min);
# warm: the tarball under ~/.cache/lakeforge/pve-lxc/ is reused. The cache key hashes this file
# (and its service unit), so a change to what goes into the rootfs rebuilds it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/lakeforge/pve-lxc"
mirror="${LAKEFORGE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
key=$(cat "$here/rootfs.sh" "$here/lf-web.service" | sha256sum | cut -c1-12)
tarball="$cache/bookworm-$key.tar.zst"

if [ -s "$tarball" ]; then
    echo "$tarball"
    exit 0
fi
mkdir -p "$cache"
work=$(mktemp -d "$cache/build.XXXXXX")
# debootstrap mounts proc and sys inside the target; an interrupted build must not rm -rf through them.
cleanup() {
    awk -v w="$work/" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r -n1 umount -l
    rm -rf --one-file-system "$work"
}
trap cleanup EXIT
started=$(date +%s)

# minbase keeps it small; systemd is PID 1 as in a PVE system container, busybox is the stand-in
# service (httpd) and its health check (wget); procps gives `ps` inside the container.
debootstrap --variant=minbase --include=systemd,systemd-sysv,procps,busybox,util-linux \
    bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; echo "debootstrap failed (log above)" >&2; exit 1; }

root="$work/rootfs"
# The service runs as its own user, so the tier can check that a 0440 root:lfweb file is readable by it.
chroot "$root" groupadd --gid 1001 lfweb
chroot "$root" useradd --uid 1001 --gid 1001 --no-create-home --shell /usr/sbin/nologin lfweb
# Each container gets its own machine id on first boot.
: >"$root/etc/machine-id"
echo lf-ct >"$root/etc/hostname"
install -m 0644 "$here/lf-web.service" "$root/etc/systemd/system/lf-web.service"
ln -sf /etc/systemd/system/lf-web.service "$root/etc/systemd/system/multi-user.target.wants/lf-web.service"
# Units that only slow a container's boot down or fail without hardware/network.
for unit in systemd-networkd.service systemd-resolved.service systemd-timesyncd.service apt-daily.timer apt-daily-upgrade.timer e2scrub_reap.service; do
    ln -sf /dev/null "$root/etc/systemd/system/$unit"
done
rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*

tar --numeric-owner --xattrs -C "$root" -cf - . | zstd -q -T2 -3 -o "$work/rootfs.tar.zst"
mv "$work/rootfs.tar.zst" "$tarball"
echo "rootfs built in $(($(date +%s) - started)) s: $tarball ($(du -h "$tarball" | cut -f1))" >&2
echo "$tarball"
