# shellcheck shell=bash disable=SC2034
# Shared settings of scripts/cluster/*.sh: pinned versions, paths, network layout, helpers.
# Sourced, never run.

# --- versions (each built from the Go module proxy or taken from Debian bookworm) --------------
K8S_VERSION=v1.35.4        # k8s.io/kubernetes; staging modules pinned to v0.35.4
ETCD_VERSION=v3.6.16       # go.etcd.io/etcd/server/v3
COREDNS_VERSION=v1.14.7    # github.com/coredns/coredns
LPP_VERSION=v0.0.30        # github.com/rancher/local-path-provisioner
KUBE_ROUTER_VERSION=v2.1.0 # github.com/cloudnativelabs/kube-router/v2 (NetworkPolicy only)
APT_PACKAGES="containerd runc containernetworking-plugins iptables ipset conntrack iproute2 openssl busybox-static"

# --- paths ---------------------------------------------------------------------------------------
CACHE=${LAKEFORGE_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lakeforge/cluster}
BIN=$CACHE/bin/k8s-$K8S_VERSION              # kube-* binaries and kubectl, by version
TOOLS=$CACHE/bin/tools                        # etcd, coredns, local-path-provisioner, pause
IMAGES=$CACHE/images                          # image tarballs built locally
SRC=$CACHE/src                                # wrapper Go modules
LOGS=$CACHE/logs                              # build logs
KUBECONFIG_OUT=$CACHE/kubeconfig              # admin kubeconfig handed to users
RUN=/run/lakeforge-k8s                        # pid files, sockets, process logs
STATE=/var/lib/lakeforge-k8s                  # etcd data, containerd root, kubelet root, pki
PKI=$STATE/pki
CTR_SOCK=$RUN/containerd/containerd.sock
CNI_BIN=/usr/lib/cni

# --- network layout (no overlap with docker's 172.16.0.0/12 bridges) -----------------------------
NODE_NAME=lakeforge
POD_CIDR=10.244.0.0/16
SERVICE_CIDR=10.96.0.0/16
API_SERVICE_IP=10.96.0.1
DNS_IP=10.96.0.10
CLUSTER_DOMAIN=cluster.local
BRIDGE=lfk8s0
NODEPORT_RANGE=30000-32767
API_PORT=6443
# The node's address: a dummy interface with a private link-local-free address that only this host
# routes, so the kubelet, apiserver and NodePorts have a stable IP that survives docker churn.
NODE_DEV=lfk8s-node
NODE_IP=10.254.254.1

IMG_PREFIX=lakeforge.local
PAUSE_IMAGE=$IMG_PREFIX/pause:3.10
COREDNS_IMAGE=$IMG_PREFIX/coredns:$COREDNS_VERSION
LPP_IMAGE=$IMG_PREFIX/local-path-provisioner:$LPP_VERSION
BUSYBOX_IMAGE=$IMG_PREFIX/busybox:static

say() { echo "cluster: $*" >&2; }
die() { echo "cluster: error: $*" >&2; exit 1; }
now() { date +%s.%N; }

# Heavy work yields to everything else on this 2-core machine.
nicely() { nice -n 19 env GOMAXPROCS=1 "$@"; }

kc() { "$BIN/kubectl" --kubeconfig "$KUBECONFIG_OUT" "$@"; }
ctrc() { ctr --address "$CTR_SOCK" -n k8s.io "$@"; }

# wait_for SECONDS DESCRIPTION CMD...: retry CMD once a second until it succeeds.
wait_for() {
  local secs=$1 what=$2; shift 2
  local i
  for ((i = 0; i < secs; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  die "timed out after ${secs}s waiting for $what"
}
