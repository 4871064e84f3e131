#!/usr/bin/env bash
# A real single-node Kubernetes cluster on this machine, from package-registry parts only:
# Kubernetes, etcd, CoreDNS and local-path-provisioner built from the Go module proxy; containerd,
# runc and the CNI plugins from Debian. See README.md beside this file.
#
#   scripts/cluster/cluster.sh up          build/install what is missing, start, wait, smoke-test
#   scripts/cluster/cluster.sh down        stop everything and remove its state from the host
#   scripts/cluster/cluster.sh status      what runs, node and pods
#   scripts/cluster/cluster.sh build       only build the binaries and images (cache warm-up)
#   scripts/cluster/cluster.sh load IMG[=NAME]...  copy images from the Docker Engine (as NAME)
#   scripts/cluster/cluster.sh kubectl ... kubectl with the cluster's kubeconfig
#   scripts/cluster/cluster.sh restart-node  the node as after a crash: every container killed,
#                                          containerd and the kubelet restarted (the control plane
#                                          and the volumes stay)
#
# Environment: LAKEFORGE_CLUSTER_CACHE (default ~/.cache/lakeforge/cluster).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"
. "$HERE/build.sh"; . "$HERE/images.sh"; . "$HERE/pki.sh"; . "$HERE/run.sh"
. "$HERE/addons.sh"; . "$HERE/down.sh"

PROCS="containerd etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kube-router"

install_packages() {
  local need=0
  command -v containerd >/dev/null || need=1
  command -v runc >/dev/null || need=1
  command -v conntrack >/dev/null || need=1
  command -v ipset >/dev/null || need=1
  command -v openssl >/dev/null || need=1
  command -v iptables >/dev/null || need=1
  command -v gcc >/dev/null || need=1
  command -v bc >/dev/null || need=1
  [ -f /usr/lib/x86_64-linux-gnu/libc.a ] || need=1
  [ -x /bin/busybox ] && /bin/busybox --list | grep -qx httpd || need=1
  [ -x "$CNI_BIN/bridge" ] && [ -x "$CNI_BIN/portmap" ] || need=1
  [ $need = 0 ] && return 0
  say "installing Debian packages: $APT_PACKAGES"
  apt-get update -qq >&2
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $APT_PACKAGES gcc libc6-dev bc >&2 ||
    die "apt-get install failed"
}

smoke() {
  local ns=lakeforge-cluster-smoke
  kc delete namespace "$ns" --ignore-not-found --wait=true >/dev/null
  kc apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Namespace
metadata: {name: $ns, labels: {pod-security.kubernetes.io/enforce: restricted}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: $ns}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Mi}}}
YAML
  wait_for 60 "service account $ns/default" kc -n "$ns" get serviceaccount default
  kc apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: {name: smoke, namespace: $ns}
spec:
  restartPolicy: Never
  securityContext: {runAsUser: 1000, runAsGroup: 1000}
  containers:
    - name: smoke
      image: $BUSYBOX_IMAGE
      imagePullPolicy: Never
      command: [sh, -c, 'nslookup kubernetes.default.svc.$CLUSTER_DOMAIN $DNS_IP && echo ok >/data/ok && cat /data/ok']
      volumeMounts: [{name: data, mountPath: /data}]
      $RESTRICTED_CONTAINER
  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
YAML
  local i phase=""
  for ((i = 0; i < 120; i++)); do
    phase=$(kc -n "$ns" get pod smoke -o 'jsonpath={.status.phase}' 2>/dev/null || true)
    [ "$phase" = Succeeded ] || [ "$phase" = Failed ] && break
    sleep 1
  done
  [ "$phase" = Succeeded ] || {
    kc -n "$ns" describe pod smoke >&2 || true; kc -n "$ns" logs smoke >&2 || true
    die "smoke pod (restricted namespace, PVC, DNS) ended in phase '${phase:-none}'"
  }
  [ "$(kc -n "$ns" get pvc data -o 'jsonpath={.status.phase}')" = Bound ] || die "smoke PVC not Bound"
  kc delete namespace "$ns" --wait=false >/dev/null
}

up() {
  [ "$(id -u)" = 0 ] || die "must run as root (it starts containerd, the kubelet and kube-proxy)"
  local t0; t0=$(now)
  install_packages
  build_all
  build_images
  save_sysctls
  make_pki
  write_configs
  net_up
  start_all
  import_images
  say "waiting for node $NODE_NAME to be Ready"
  wait_for 120 "node $NODE_NAME Ready" kc wait --for=condition=Ready "node/$NODE_NAME" --timeout=2s
  apply_coredns
  apply_local_path
  apply_netpol_rbac
  start_netpol
  wait_for 120 "CoreDNS ready" kc -n kube-system rollout status deployment/coredns --timeout=2s
  wait_for 120 "local-path-provisioner ready" kc -n local-path-storage rollout status deployment/local-path-provisioner --timeout=2s
  smoke
  say "cluster up in $(printf '%.1f' "$(echo "$(now) - $t0" | bc)")s: node Ready, DNS answers, PVC bound, restricted pod ran"
  echo "$KUBECONFIG_OUT"
}

# A node that lost power: its containers die with SIGKILL, its runtime and kubelet start again and
# must bring every pod back from what the API server and the volumes hold.
restart_node() {
  [ "$(id -u)" = 0 ] || die "must run as root"
  local t0 id; t0=$(now)
  stop kubelet; stop kube-proxy
  for id in $(ctrc tasks ls -q 2>/dev/null || true); do ctrc tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true; done
  stop containerd; kill_shims
  start_containerd
  start_node_agents
  wait_for 120 "node $NODE_NAME Ready" kc wait --for=condition=Ready "node/$NODE_NAME" --timeout=2s
  say "node restarted in $(printf '%.1f' "$(echo "$(now) - $t0" | bc)")s"
}

status() {
  local n pid rc=0
  for n in $PROCS; do
    if pid=$(pid_of "$n"); then printf '%-24s running (pid %s)\n' "$n" "$pid"; else printf '%-24s stopped\n' "$n"; rc=1; fi
  done
  if [ -f "$KUBECONFIG_OUT" ] && [ -x "$BIN/kubectl" ] && kc get --raw /readyz >/dev/null 2>&1; then
    echo "kubeconfig: $KUBECONFIG_OUT"
    kc get nodes -o wide; kc get pods -A
  fi
  return $rc
}

case ${1:-} in
  up) up ;;
  down) [ "$(id -u)" = 0 ] || die "must run as root"; t0=$(now); down_all; say "down in $(printf '%.1f' "$(echo "$(now) - $t0" | bc)")s" ;;
  status) status ;;
  build) install_packages; build_all; build_images ;;
  load) shift; load_image "$@" ;;
  kubectl) shift; kc "$@" ;;
  restart-node) restart_node ;;
  *) sed -n '5,16p' "$0" >&2; exit 2 ;;
esac
