#!/usr/bin/env bash
# For CI and test machines only (`npm run up` never starts a daemon; it tells the user to start
# Docker): if no Docker Engine answers on DOCKER_HOST (default unix:///var/run/docker.sock), starts
# Debian's dockerd (package docker.io, installed with apt-get when missing) in the background with
# Docker's default data root, so images and volumes are the ones any later daemon sees.
# Usage: scripts/dockerd.sh [start|stop|status]
# Env:   LAKEFORGE_DOCKERD_ARGS  extra dockerd arguments (e.g. "--iptables=false" where iptables is unavailable)
set -euo pipefail

host=${DOCKER_HOST:-unix:///var/run/docker.sock}
run=/run/lakeforge-docker
pidfile=$run/dockerd.pid
log=$run/dockerd.log
say() { echo "dockerd: $*" >&2; }
die() { echo "dockerd: error: $*" >&2; exit 1; }

# Pings the Engine API directly so this works without a docker CLI.
reachable() {
  case $host in
    unix://*) curl -fsS --max-time 3 --unix-socket "${host#unix://}" http://docker/_ping >/dev/null 2>&1 ;;
    tcp://*) curl -fsS --max-time 3 "http://${host#tcp://}/_ping" >/dev/null 2>&1 ;;
    *) docker info >/dev/null 2>&1 ;;
  esac
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@" || die "needs root (or passwordless sudo) to run: $*"; fi; }

case ${1:-start} in
  status)
    if reachable; then echo "Docker Engine reachable at $host"; else echo "no Docker Engine at $host"; exit 1; fi ;;
  stop)
    [ -f "$pidfile" ] || { say "not started by lakeforge ($pidfile missing)"; exit 0; }
    as_root kill "$(cat "$pidfile")" && say "stopped dockerd $(cat "$pidfile")" ;;
  start)
    reachable && exit 0
    [ "${host#unix://}" != "$host" ] || die "no Docker Engine at $host, and only a local unix socket can be started here"
    if ! command -v dockerd >/dev/null; then
      say "installing Debian's docker.io (dockerd not found)"
      as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >&2 ||
        die "apt-get install docker.io failed"
    fi
    as_root mkdir -p "$run"
    say "starting dockerd (log $log)"
    # shellcheck disable=SC2086 # LAKEFORGE_DOCKERD_ARGS is a list of words on purpose
    as_root sh -c 'nohup "$@" >>"'"$log"'" 2>&1 &' dockerd dockerd --host "$host" --pidfile "$pidfile" ${LAKEFORGE_DOCKERD_ARGS:-}
    for _ in $(seq 1 60); do
      reachable && { say "Docker Engine ready at $host"; exit 0; }
      sleep 1
    done
    die "dockerd did not answer on $host within 60 s; see $log: $(tail -n 3 "$log" 2>/dev/null | tr '\n' ' ')" ;;
  *) die "usage: $0 [start|stop|status]" ;;
esac
