# shellcheck shell=bash
# Configuration files and background processes of the cluster (containerd, etcd, control plane,
# kubelet, kube-proxy). Sourced by cluster.sh after lib.sh and pki.sh.

PLOGS=$CACHE/logs/run   # one log per process, kept after `down` for post-mortems

# pid_of NAME: the pid of a live (not zombie) process started as NAME.
pid_of() {
  local f=$RUN/$1.pid p
  [ -f "$f" ] || return 1
  p=$(cat "$f")
  kill -0 "$p" 2>/dev/null || return 1
  [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$p/stat" 2>/dev/null)" != Z ] || return 1
  echo "$p"
}

# start NAME CMD...: runs CMD in the background in its own session unless NAME already runs.
start() {
  local name=$1; shift
  pid_of "$name" >/dev/null && return 0
  mkdir -p "$RUN" "$PLOGS"
  setsid nohup "$@" >>"$PLOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}

# stop NAME [SECONDS]: TERM, then KILL after SECONDS (default 10).
stop() {
  local name=$1 secs=${2:-10} pid i
  pid=$(pid_of "$name") || { rm -f "$RUN/$name.pid"; return 0; }
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < secs * 10; i++)); do pid_of "$name" >/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$RUN/$name.pid"
}

# put FILE: writes stdin to FILE only when it differs (kube-proxy exits when its config changes).
put() {
  cat >"$1.new"
  if cmp -s "$1.new" "$1"; then rm -f "$1.new"; else mv "$1.new" "$1"; fi
}

write_configs() {
  local c=$STATE/config
  mkdir -p "$c" "$STATE/cni/net.d" "$RUN/containerd"
  put "$c/containerd.toml" <<TOML
# containerd of the lakeforge cluster: its own root, state and socket, so docker's is untouched.
version = 2
root = "$STATE/containerd"
state = "$RUN/containerd/state"
[grpc]
  address = "$CTR_SOCK"
[ttrpc]
  address = "$CTR_SOCK.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$STATE/containerd-opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  enable_unprivileged_ports = true
  enable_unprivileged_icmp = true
  # This machine's root lacks CAP_SYS_RESOURCE: no process may lower its OOM score below 0, so
  # pod sandboxes (-998) and Guaranteed pods (-997) are clamped to containerd's own score.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$RUN/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN"
    conf_dir = "$STATE/cni/net.d"
TOML
  put "$STATE/cni/net.d/10-lakeforge.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "lakeforge-k8s",
  "plugins": [
    {
      "type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": {
        "type": "host-local", "dataDir": "$STATE/cni/ipam",
        "ranges": [[{"subnet": "${POD_CIDR%.0.0/16}.0.0/24", "gateway": "${POD_CIDR%.0.0/16}.0.1"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
JSON
  put "$c/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false          # this host has cgroup v1 (see README)
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://$CTR_SOCK
address: $NODE_IP
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $PKI/kubelet-serving.crt
tlsPrivateKeyFile: $PKI/kubelet-serving.key
clusterDNS: [$DNS_IP]
clusterDomain: $CLUSTER_DOMAIN
resolvConf: /etc/resolv.conf
podLogsDir: $STATE/pod-logs
failSwapOn: false
serializeImagePulls: false
# Images here are imported, never pulled: image GC must not delete them, and a busy shared disk
# must not taint the node with DiskPressure.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 100Mi, nodefs.available: 1Gi, imagefs.available: 1Gi, nodefs.inodesFree: 1%, imagefs.inodesFree: 1%}
YAML
  put "$c/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $PKI/kube-proxy.kubeconfig}
hostnameOverride: $NODE_NAME
mode: iptables
clusterCIDR: $POD_CIDR
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# NodePorts answer on loopback (like kind's 127.0.0.1 port mappings) and the node IP only.
nodePortAddresses: [127.0.0.0/8, $NODE_IP/32]
iptables: {localhostNodePorts: true}
oomScoreAdj: 0   # no CAP_SYS_RESOURCE here (see containerd.toml)
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
YAML
}

# Host networking the cluster needs: node IP on lo, the pod bridge, a route keeping service IPs
# local, forwarding and masquerading for the pod CIDR in chains of our own (LFK8S-*).
net_up() {
  # Pod network namespaces are mounts under /run/netns. If /run/netns is not yet a mount point, the
  # first `ip netns add` anyone runs bind-mounts it over itself, hiding the pods' mounts underneath:
  # their files can then never be removed and pods hang in Terminating. Make it one first, as ip does.
  mkdir -p /run/netns
  mountpoint -q /run/netns || mount --bind /run/netns /run/netns
  mount --make-shared /run/netns
  ip addr show dev lo | grep -q " $NODE_IP/32" || ip addr add "$NODE_IP/32" dev lo
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
  fi
  ip addr show dev "$BRIDGE" | grep -q " ${POD_CIDR%.0.0/16}.0.1/24" || ip addr add "${POD_CIDR%.0.0/16}.0.1/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  ip route replace "$SERVICE_CIDR" dev "$BRIDGE" src "${POD_CIDR%.0.0/16}.0.1"
  sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1
  iptables -N LFK8S-FORWARD 2>/dev/null || iptables -F LFK8S-FORWARD
  iptables -A LFK8S-FORWARD -s "$POD_CIDR" -j ACCEPT
  iptables -A LFK8S-FORWARD -d "$POD_CIDR" -j ACCEPT
  iptables -C FORWARD -j LFK8S-FORWARD 2>/dev/null || iptables -A FORWARD -j LFK8S-FORWARD
  iptables -t nat -N LFK8S-POSTROUTING 2>/dev/null || iptables -t nat -F LFK8S-POSTROUTING
  iptables -t nat -A LFK8S-POSTROUTING -s "$POD_CIDR" ! -d "$POD_CIDR" ! -o "$BRIDGE" -j MASQUERADE
  iptables -t nat -C POSTROUTING -j LFK8S-POSTROUTING 2>/dev/null || iptables -t nat -A POSTROUTING -j LFK8S-POSTROUTING
}

# Kernel settings the kubelet and kube-proxy change; saved once so `down` can put them back.
SYSCTLS="vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes net.ipv4.conf.all.route_localnet net.ipv4.ip_forward"
save_sysctls() {
  [ -f "$STATE/sysctl.orig" ] && return 0
  mkdir -p "$STATE"
  local k; for k in $SYSCTLS; do echo "$k=$(sysctl -n "$k")"; done >"$STATE/sysctl.orig"
}

start_containerd() {
  start containerd containerd --config "$STATE/config/containerd.toml"
  wait_for 30 "containerd on $CTR_SOCK" ctr --address "$CTR_SOCK" version
}

# The node's own agents: the kubelet and kube-proxy.
start_node_agents() {
  start kubelet "$BIN/kubelet" --config "$STATE/config/kubelet.yaml" --kubeconfig "$PKI/kubelet.kubeconfig" \
    --root-dir "$STATE/kubelet" --hostname-override "$NODE_NAME" --node-ip "$NODE_IP"
  start kube-proxy "$BIN/kube-proxy" --config "$STATE/config/kube-proxy.yaml"
}

start_all() {
  local b=$BIN
  start_containerd
  start etcd "$TOOLS/etcd-$ETCD_VERSION" --name "$NODE_NAME" --data-dir "$STATE/etcd" \
    --listen-client-urls http://127.0.0.1:12379 --advertise-client-urls http://127.0.0.1:12379 \
    --listen-peer-urls http://127.0.0.1:12380 --initial-advertise-peer-urls http://127.0.0.1:12380 \
    --initial-cluster "$NODE_NAME=http://127.0.0.1:12380" --listen-metrics-urls "" \
    --unsafe-no-fsync --snapshot-count 10000 --log-level warn
  start kube-apiserver "$b/kube-apiserver" --etcd-servers http://127.0.0.1:12379 \
    --bind-address "$NODE_IP" --advertise-address "$NODE_IP" --secure-port "$API_PORT" \
    --service-cluster-ip-range "$SERVICE_CIDR" --service-node-port-range "$NODEPORT_RANGE" \
    --client-ca-file "$PKI/ca.crt" --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
    --service-account-issuer "https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction,PodSecurity \
    --allow-privileged=true --profiling=false --endpoint-reconciler-type lease \
    --kubelet-preferred-address-types InternalIP,Hostname \
    --requestheader-client-ca-file "$PKI/ca.crt" --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- \
    --proxy-client-cert-file "$PKI/front-proxy-client.crt" --proxy-client-key-file "$PKI/front-proxy-client.key"
  wait_for 90 "kube-apiserver /readyz" curl -fsk "https://$NODE_IP:$API_PORT/readyz"
  start kube-controller-manager "$b/kube-controller-manager" --kubeconfig "$PKI/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$PKI/controller-manager.kubeconfig" --authorization-kubeconfig "$PKI/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --cluster-name "$NODE_NAME" \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
    --root-ca-file "$PKI/ca.crt" --service-account-private-key-file "$PKI/sa.key" --use-service-account-credentials \
    --allocate-node-cidrs --cluster-cidr "$POD_CIDR" --node-cidr-mask-size 24 --service-cluster-ip-range "$SERVICE_CIDR"
  start kube-scheduler "$b/kube-scheduler" --kubeconfig "$PKI/scheduler.kubeconfig" \
    --authentication-kubeconfig "$PKI/scheduler.kubeconfig" --authorization-kubeconfig "$PKI/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false
  start_node_agents
}

# NetworkPolicy enforcement: kube-router's firewall controller alone (no routing, no service
# proxy), as a host process. LAKEFORGE_CLUSTER_NETPOL=0 leaves policies unenforced.
start_netpol() {
  [ "${LAKEFORGE_CLUSTER_NETPOL:-1}" = 1 ] || return 0
  start kube-router "$TOOLS/kube-router-$KUBE_ROUTER_VERSION" --kubeconfig "$PKI/kube-router.kubeconfig" \
    --run-firewall=true --run-router=false --run-service-proxy=false --health-port 0 \
    --hostname-override "$NODE_NAME" --service-cluster-ip-range "$SERVICE_CIDR" \
    --service-node-port-range "${NODEPORT_RANGE/-/:}"
}
