#!/usr/bin/env bash
# The in-container tier's stand-in for a Proxmox VE node: real LXC containers `lf-<vmid>` started from
# a cached Debian rootfs, and an sshd whose `pct` is the fake in ./pct. Everything lives in a network
# namespace this script owns (sshd listens on its loopback only) and in $LF_PVE_LXC_STATE.
#   harness.sh probe   check that LXC can start a container here (exit 3 and the reason if not)
#   harness.sh up      install what is missing, build/reuse the rootfs, start sshd and the containers
#   harness.sh app <vmid> <file> [unprivileged]   an application container lf-<vmid> as PVE makes from
#                      an OCI image: the entrypoint in <file> as init (lxc.init.cmd), no systemd; with
#                      `unprivileged`, its ids mapped to 100000+ as PVE does (rootfs shifted to match)
#   harness.sh down    stop and remove all of it
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
state="${LF_PVE_LXC_STATE:-/var/tmp/lakeforge-pve-lxc}"
netns="${LF_PVE_LXC_NETNS:-lf-pve-lxc}"
port="${LF_PVE_LXC_PORT:-2222}"
vmids="${LF_PVE_LXC_VMIDS:-9101 9102}"
lxcpath="$state/lxc"

log() { echo "[pve-lxc] $*" >&2; }
in_ns() { ip netns exec "$netns" "$@"; }

install_packages() {
    local missing=()
    command -v lxc-start >/dev/null || missing+=(lxc)
    [ -x /usr/sbin/sshd ] || missing+=(openssh-server)
    command -v ssh-keygen >/dev/null || missing+=(openssh-client)
    command -v debootstrap >/dev/null || missing+=(debootstrap)
    command -v zstd >/dev/null || missing+=(zstd)
    command -v logrotate >/dev/null || missing+=(logrotate)
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing from Debian: ${missing[*]}"
    # policy-rc.d (Docker images ship one) keeps the packages' own sshd from starting on the host.
    # A fresh machine's package lists may be stale or absent: update once, only if the install fails.
    local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}")
    "${install[@]}" >"$state/apt.log" 2>&1 ||
        { apt-get update -q >>"$state/apt.log" 2>&1 && "${install[@]}" >>"$state/apt.log" 2>&1; } ||
        { tail -20 "$state/apt.log" >&2; return 1; }
}

# Writes an LXC config: privileged, only `lo` in the container's own network namespace (the sandbox
# has no bridge), systemd as init, and SIGRTMIN+3 to halt it (systemd ignores LXC's default SIGPWR).
# With an entrypoint (an application container), that is init instead, halted with LXC's default
# SIGPWR, and its console (the entrypoint's stdout and stderr) goes to console.log.
# common.conf is not included: its device-cgroup rules cannot be written in a Docker-like sandbox
# ("Failed to setup cgroup limits"); its mounts, capability drops and seccomp profile are kept.
write_config() {
    local name=$1 entrypoint=${2:-} unprivileged=${3:-}
    local init="lxc.init.cmd = /sbin/init"$'\n'"lxc.signal.halt = SIGRTMIN+3"
    [ -z "$entrypoint" ] || init="lxc.init.cmd = $entrypoint"$'\n'"lxc.console.logfile = $lxcpath/$name/console.log"
    [ -z "$unprivileged" ] || init="$init"$'\n'"lxc.idmap = u 0 $ID_SHIFT 65536"$'\n'"lxc.idmap = g 0 $ID_SHIFT 65536"
    cat >"$lxcpath/$name/config" <<CONF
lxc.mount.auto = cgroup:mixed proc:mixed sys:mixed
lxc.cap.drop = mac_admin mac_override sys_time sys_module sys_rawio
lxc.seccomp.profile = /usr/share/lxc/config/common.seccomp
lxc.pty.max = 64
lxc.tty.max = 0
lxc.uts.name = $name
lxc.rootfs.path = dir:$lxcpath/$name/rootfs
lxc.net.0.type = empty
lxc.apparmor.profile = unconfined
$init
lxc.autodev = 1
lxc.log.file = $lxcpath/$name/lxc.log
lxc.log.level = WARN
CONF
}

create_container() {
    local name=$1 tarball=$2 entrypoint=${3:-} unprivileged=${4:-}
    mkdir -p "$lxcpath/$name/rootfs"
    zstd -dc "$tarball" | tar --numeric-owner --xattrs -C "$lxcpath/$name/rootfs" -xf -
    [ -z "$unprivileged" ] || shift_ids "$lxcpath/$name/rootfs"
    write_config "$name" "$entrypoint" "$unprivileged"
}

# PVE's unprivileged containers map ids 0-65535 to 100000-165535 on the host.
ID_SHIFT=100000

# Shifts every owner in a rootfs by ID_SHIFT, as PVE's unprivileged rootfs is owned (chown clears
# set-id bits, so each mode is set again).
shift_ids() {
    python3 - "$1" "$ID_SHIFT" <<'PY'
import os, stat, sys
root, shift = sys.argv[1], int(sys.argv[2])
for dirpath, dirs, files in os.walk(root):
    for path in [dirpath] + [os.path.join(dirpath, n) for n in dirs + files if os.path.islink(os.path.join(dirpath, n)) or n in files]:
        st = os.lstat(path)
        os.lchown(path, st.st_uid + shift, st.st_gid + shift)
        if not stat.S_ISLNK(st.st_mode):
            os.chmod(path, stat.S_IMODE(st.st_mode))
PY
}

# Waits until systemd in the container has reached the stand-in service (active, or waiting at its gate).
wait_booted() {
    local name=$1 state
    for _ in $(seq 1 60); do
        state=$(in_ns lxc-attach -P "$lxcpath" -n "$name" -- systemctl is-active lf-web.service 2>/dev/null || true)
        case "$state" in active | activating) return 0 ;; esac
        sleep 1
    done
    log "$name did not boot; its log:"
    tail -20 "$lxcpath/$name/lxc.log" >&2 || true
    return 1
}

ensure_netns() {
    ip netns list 2>/dev/null | grep -qx "$netns\( .*\)\?" || ip netns add "$netns"
    ip -n "$netns" link set lo up
}

# A probe container from the same rootfs: if this cannot start, nothing in the tier can. Every step
# is checked by hand (this runs inside `if`, where `set -e` does not apply); the last line on stderr
# is the reason run.sh prints.
probe() {
    mkdir -p "$state" || return 1
    install_packages || { echo "cannot install lxc/openssh-server/debootstrap from Debian" >&2; return 1; }
    local tarball
    tarball=$("$here/rootfs.sh") || { echo "cannot build the Debian rootfs with debootstrap" >&2; return 1; }
    ensure_netns || { echo "cannot create network namespace $netns" >&2; return 1; }
    mkdir -p "$lxcpath"
    in_ns lxc-stop -P "$lxcpath" -n lf-probe -k >/dev/null 2>&1 || true
    rm -rf --one-file-system "${lxcpath:?}/lf-probe"
    create_container lf-probe "$tarball" || { echo "cannot unpack the rootfs into $lxcpath" >&2; return 1; }
    if ! in_ns lxc-start -P "$lxcpath" -n lf-probe -d -l INFO -o "$state/probe.log" </dev/null >/dev/null 2>&1 ||
        ! in_ns lxc-wait -P "$lxcpath" -n lf-probe -s RUNNING -t 20; then
        grep -E "ERROR|WARN" "$state/probe.log" | tail -10 >&2 || true
        echo "lxc-start cannot run a container on this machine (log: $state/probe.log)" >&2
        return 1
    fi
    in_ns lxc-stop -P "$lxcpath" -n lf-probe -k >/dev/null 2>&1 || true
    rm -rf --one-file-system "${lxcpath:?}/lf-probe"
    echo "$tarball"
}

start_sshd() {
    local ssh="$state/ssh"
    mkdir -p "$ssh" /run/sshd
    rm -f "$ssh"/*
    ssh-keygen -q -t ed25519 -N "" -C lf-pve-lxc-host -f "$ssh/host_ed25519"
    ssh-keygen -q -t ed25519 -N "" -C lf-pve-lxc-client -f "$ssh/client_ed25519"
    cp "$ssh/client_ed25519.pub" "$ssh/authorized_keys"
    mkdir -p "$state/bin"
    printf '#!/bin/sh\nLF_PVE_LXC_PATH=%q LF_PVE_CONF_DIR=%q exec %q "$@"\n' "$lxcpath" "$state/pve/lxc" "$here/pct" >"$state/bin/pct"
    # PVE's container configs (/etc/pve/lxc) and logrotate rules, as sshd's session sees them: the
    # harness's own directories. An empty /etc/pve is made only where none exists (removed by down).
    mkdir -p "$state/pve/lxc" "$state/logrotate.d" "$state/logs"
    [ -d /etc/pve ] || { mkdir /etc/pve && touch "$state/made-etc-pve"; }
    chmod 0755 "$state/bin/pct"
    # MaxStartups is Debian's (and so a PVE node's) default: beyond 10 handshakes at once sshd drops
    # connections, which lakeforge's parallel resources must survive.
    cat >"$ssh/sshd_config" <<CONF
ListenAddress 127.0.0.1:$port
HostKey $ssh/host_ed25519
AuthorizedKeysFile $ssh/authorized_keys
PidFile $ssh/sshd.pid
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxStartups 10:30:100
LogLevel VERBOSE
CONF
    # sshd's own mount namespace (ip netns exec makes one, slave to the host's) gets the fake pct on
    # /usr/local/sbin, which is on sshd's default PATH: the host's filesystem is not changed.
    in_ns sh -c 'mount --bind "$1" /usr/local/sbin && mount --bind "$4/pve" /etc/pve &&
        mount --bind "$4/logrotate.d" /etc/logrotate.d && exec /usr/sbin/sshd -f "$2" -E "$3"' sh \
        "$state/bin" "$ssh/sshd_config" "$ssh/sshd.log" "$state"
}

write_env() {
    local fingerprint
    fingerprint=$(ssh-keygen -lf "$state/ssh/host_ed25519.pub" | awk '{print $2}')
    cat >"$state/env.json" <<JSON
{ "host": "127.0.0.1", "port": $port, "user": "root", "privateKeyPath": "$state/ssh/client_ed25519",
  "hostKey": "$fingerprint", "netns": "$netns", "lxcpath": "$lxcpath", "pct": "$state/bin/pct",
  "state": "$state", "pveConf": "$state/pve/lxc", "logs": "$state/logs", "vmids": [$(echo "$vmids" | tr ' ' ',')] }
JSON
    echo "$1" >"$state/rootfs"
}

up() {
    local started tarball
    started=$(date +%s)
    down >/dev/null 2>&1 || true
    # Exit code 3: this machine cannot run the tier (run.sh says so loudly), as opposed to a failure.
    if ! tarball=$(probe); then exit 3; fi
    log "LXC works here (probe $(($(date +%s) - started)) s, rootfs $tarball)"
    start_sshd
    for vmid in $vmids; do
        create_container "lf-$vmid" "$tarball"
        in_ns lxc-start -P "$lxcpath" -n "lf-$vmid" -d </dev/null
    done
    for vmid in $vmids; do wait_booted "lf-$vmid"; done
    write_env "$tarball"
    log "up in $(($(date +%s) - started)) s: sshd on 127.0.0.1:$port in netns $netns, containers ${vmids}"
}

down() {
    if [ -d "$lxcpath" ] && ip netns list 2>/dev/null | grep -q "^$netns\b"; then
        for dir in "$lxcpath"/lf-*; do
            [ -d "$dir" ] && in_ns lxc-stop -P "$lxcpath" -n "$(basename "$dir")" -k >/dev/null 2>&1 || true
        done
    fi
    [ -s "$state/ssh/sshd.pid" ] && kill "$(cat "$state/ssh/sshd.pid")" 2>/dev/null || true
    ip netns list 2>/dev/null | grep -q "^$netns\b" && ip netns delete "$netns"
    rm -rf --one-file-system "${state:?}/lxc" "$state/ssh" "$state/bin" "$state/env.json" "$state/rootfs" \
        "$state/pve" "$state/logrotate.d" "$state/logs"
    if [ -e "$state/made-etc-pve" ]; then rmdir /etc/pve 2>/dev/null || true; rm -f "$state/made-etc-pve"; fi
    log "down"
}

case "${1:-}" in
    probe) if ! probe >/dev/null; then exit 3; fi ;;
    up) up ;;
    app) [ $# = 3 ] || [ "${4:-}" = unprivileged ] || { echo "usage: $0 app <vmid> <entrypoint file> [unprivileged]" >&2; exit 2; }
        create_container "lf-$2" "$(cat "$state/rootfs")" "$(cat "$3")" "${4:-}" ;;
    down) down ;;
    *) echo "usage: $0 probe|up|app|down" >&2; exit 2 ;;
esac
