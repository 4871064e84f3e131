# shellcheck shell=bash
# Builds the cluster's own images (pause, CoreDNS, local-path-provisioner, busybox) as
# docker-archive tarballs from local files only (no registry, no docker daemon), and imports
# images into the cluster's containerd. Sourced by cluster.sh after lib.sh and build.sh.

# image_tar OUT TAG ROOTFS CONFIG_JSON: one-layer image archive in `docker save` format.
# CONFIG_JSON is the image's runtime config ({"Entrypoint": [...], "User": ...}).
image_tar() {
  local out=$1 tag=$2 rootfs=$3 cfg=$4 tmp
  tmp=$(mktemp -d)
  tar -C "$rootfs" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf "$tmp/layer.tar" .
  local diff; diff=$(sha256sum "$tmp/layer.tar" | cut -d' ' -f1)
  mkdir "$tmp/$diff" && mv "$tmp/layer.tar" "$tmp/$diff/layer.tar"
  printf '{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":%s,"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"lakeforge scripts/cluster/images.sh"}]}' \
    "$cfg" "$diff" >"$tmp/config.json"
  local cid; cid=$(sha256sum "$tmp/config.json" | cut -d' ' -f1)
  mv "$tmp/config.json" "$tmp/$cid.json"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]' "$cid" "$tag" "$diff" >"$tmp/manifest.json"
  mkdir -p "$(dirname "$out")"
  tar -C "$tmp" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf "$out.tmp" .
  mv "$out.tmp" "$out"
  rm -rf "$tmp"
}

# A rootfs with one static binary, CA certificates and a nobody-ish passwd.
static_root() {
  local root=$1 bin=$2 name=$3
  [ -x "$bin" ] || die "$bin is missing (build it first)"
  rm -rf "$root"; mkdir -p "$root/bin" "$root/etc/ssl/certs" "$root/tmp"
  chmod 1777 "$root/tmp"
  install -m 0755 "$bin" "$root/bin/$name"
  [ -f /etc/ssl/certs/ca-certificates.crt ] && cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
  printf 'root:x:0:0:root:/:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/:/sbin/nologin\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' >"$root/etc/group"
}

build_pause() {
  [ -x "$TOOLS/pause" ] && return 0
  mkdir -p "$TOOLS" "$SRC/pause"
  # The sandbox's init: reap children, exit on SIGINT/SIGTERM, otherwise sleep forever.
  cat >"$SRC/pause/pause.c" <<'C'
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
static void quit(int s) { (void)s; _exit(0); }
static void reap(int s) { (void)s; while (waitpid(-1, NULL, WNOHANG) > 0) {} }
int main(void) {
  struct sigaction q = {.sa_handler = quit}, r = {.sa_handler = reap, .sa_flags = SA_NOCLDSTOP};
  sigaction(SIGINT, &q, NULL); sigaction(SIGTERM, &q, NULL); sigaction(SIGCHLD, &r, NULL);
  for (;;) pause();
}
C
  gcc -static -Os -s -o "$TOOLS/pause" "$SRC/pause/pause.c" || die "compiling pause failed (gcc, libc6-dev)"
}

build_images() {
  mkdir -p "$IMAGES"
  local r=$SRC/rootfs
  if [ ! -f "$IMAGES/pause.tar" ]; then
    build_pause; static_root "$r/pause" "$TOOLS/pause" pause
    image_tar "$IMAGES/pause.tar" "$PAUSE_IMAGE" "$r/pause" '{"Entrypoint":["/bin/pause"],"User":"65535:65535","Env":["PATH=/bin"]}'
  fi
  if [ ! -f "$IMAGES/coredns-$COREDNS_VERSION.tar" ]; then
    static_root "$r/coredns" "$TOOLS/coredns-$COREDNS_VERSION" coredns
    image_tar "$IMAGES/coredns-$COREDNS_VERSION.tar" "$COREDNS_IMAGE" "$r/coredns" \
      '{"Entrypoint":["/bin/coredns"],"User":"65532:65532","Env":["PATH=/bin"],"ExposedPorts":{"53/udp":{},"53/tcp":{}}}'
  fi
  if [ ! -f "$IMAGES/local-path-provisioner-$LPP_VERSION.tar" ]; then
    static_root "$r/lpp" "$TOOLS/local-path-provisioner-$LPP_VERSION" local-path-provisioner
    image_tar "$IMAGES/local-path-provisioner-$LPP_VERSION.tar" "$LPP_IMAGE" "$r/lpp" \
      '{"Entrypoint":["/bin/local-path-provisioner"],"Env":["PATH=/bin"]}'
  fi
  if [ ! -f "$IMAGES/busybox.tar" ]; then
    # Debian's busybox-static: the helper image local-path-provisioner runs to make and remove
    # volume directories, and the shell/httpd of the self-check.
    static_root "$r/busybox" /bin/busybox busybox
    local a
    for a in sh mkdir rm rmdir ls cat echo sleep httpd nslookup wget chmod chown id test true false \
      env hostname date mount grep sed tee touch df du ps kill timeout nc ip; do
      ln -sf busybox "$r/busybox/bin/$a"
    done
    image_tar "$IMAGES/busybox.tar" "$BUSYBOX_IMAGE" "$r/busybox" '{"Cmd":["/bin/sh"],"Env":["PATH=/bin"]}'
  fi
  rm -rf "$r"
}

# Imports every locally built image into the cluster's containerd (namespace k8s.io).
import_images() {
  local t
  for t in pause.tar "coredns-$COREDNS_VERSION.tar" "local-path-provisioner-$LPP_VERSION.tar" busybox.tar; do
    ctrc images import "$IMAGES/$t" >/dev/null || die "importing $t failed"
  done
}

# full_ref NAME: the reference containerd and the kubelet use for an image name
# (postgres:16 -> docker.io/library/postgres:16, a/b:1 -> docker.io/a/b:1, host.x/b:1 unchanged).
full_ref() {
  local n=$1 first=${1%%/*}
  case $n in */*) ;; *) n=library/$n ;; esac
  case $first in *.* | *:* | localhost) [ "$first" != "$1" ] && { echo "$1"; return; } ;; esac
  case $n in *:* | *@*) ;; *) n=$n:latest ;; esac
  echo "docker.io/$n"
}

# load_image IMAGE[=NAME]...: copies images from the Docker Engine into the cluster (kind load's
# job); with =NAME the image is also tagged NAME there, e.g. a stand-in under the name a manifest uses.
load_image() {
  local arg src dst
  [ $# -gt 0 ] || die "usage: cluster.sh load IMAGE[=NAME]..."
  for arg in "$@"; do
    case $arg in *=*) src=${arg%%=*} dst=${arg#*=} ;; *) src=$arg dst="" ;; esac
    say "loading $src from docker into the cluster's containerd${dst:+ as $dst}"
    docker save "$src" | ctrc images import - >/dev/null || die "could not import $src"
    if [ -n "$dst" ]; then
      ctrc images tag --force "$(full_ref "$src")" "$(full_ref "$dst")" >/dev/null || die "could not tag $src as $dst"
    fi
  done
}
