# shellcheck shell=bash
# Teardown: stops every process of the cluster and removes what it left on the host (containers,
# mounts, pod network namespaces, iptables chains, addresses, routes, kernel settings) so that
# `up` starts from nothing again. Docker's containers, chains and state are not touched.
# Sourced by cluster.sh after lib.sh and run.sh.

# del_chains IPT PREFIX: removes every chain named PREFIX* and every rule jumping to one.
del_chains() {
  local ipt=$1 prefix=$2 t rule chain
  command -v "$ipt" >/dev/null || return 0
  for t in filter nat mangle raw; do
    "$ipt" -t "$t" -S >/dev/null 2>&1 || continue
    # (stderr dropped below: iptables-nft warns on every call once any legacy table exists)
    while read -r rule; do
      # shellcheck disable=SC2086 # a rule as iptables -S prints it is a list of words
      eval "$ipt -t $t ${rule/-A /-D }" >/dev/null 2>&1 || true
    done < <("$ipt" -t "$t" -S 2>/dev/null | grep -E "^-A [^ ]+ .*-j $prefix" | grep -vE "^-A $prefix" || true)
    for chain in $("$ipt" -t "$t" -S 2>/dev/null | sed -n "s/^-N \(${prefix}[^ ]*\).*/\1/p"); do
      "$ipt" -t "$t" -F "$chain" >/dev/null 2>&1 || true
    done
    for chain in $("$ipt" -t "$t" -S 2>/dev/null | sed -n "s/^-N \(${prefix}[^ ]*\).*/\1/p"); do
      "$ipt" -t "$t" -X "$chain" >/dev/null 2>&1 || true
    done
  done
}

# The portmap plugin's rules for our network (hostPort pods killed without a CNI DEL).
del_portmap_rules() {
  local rule chain
  while read -r rule; do
    chain=$(sed -n 's/.* -j \(CNI-DN-[^ ]*\).*/\1/p' <<<"$rule")
    eval "iptables -t nat ${rule/-A /-D }" 2>/dev/null || true
    [ -n "$chain" ] && { iptables -t nat -F "$chain"; iptables -t nat -X "$chain"; } 2>/dev/null || true
  done < <(iptables -t nat -S 2>/dev/null | grep -E '^-A CNI-HOSTPORT-DNAT .*name: \\"lakeforge-k8s\\"' || true)
}

containers_down() {
  ctr --address "$CTR_SOCK" version >/dev/null 2>&1 || return 0
  local ids id ns
  ids=$(ctrc containers ls -q 2>/dev/null || true)
  # The pod network namespaces our containerd made, to delete once their sandboxes are gone.
  for id in $ids; do
    ctrc containers info "$id" 2>/dev/null | grep -o '/var/run/netns/cni-[0-9a-f-]*' || true
  done | sort -u >"$RUN/netns.list"
  for id in $(ctrc tasks ls -q 2>/dev/null || true); do ctrc tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true; done
  sleep 1
  for id in $(ctrc tasks ls -q 2>/dev/null || true); do ctrc tasks delete -f "$id" >/dev/null 2>&1 || true; done
  for id in $ids; do ctrc containers delete "$id" >/dev/null 2>&1 || true; done
  while read -r ns; do
    [ -n "$ns" ] || continue
    umount "$ns" 2>/dev/null || true; rm -f "$ns"
  done <"$RUN/netns.list"
}

# Shims of our containerd outlive it; they are found by our socket in their command line.
kill_shims() {
  local f p
  for f in $(grep -l -a -F -- "$CTR_SOCK" /proc/[0-9]*/cmdline 2>/dev/null); do
    p=${f#/proc/}; p=${p%/cmdline}
    case $(cat "/proc/$p/comm" 2>/dev/null) in containerd-shim*) kill -9 "$p" 2>/dev/null || true ;; esac
  done
}

unmount_under() {
  local dir=$1 m
  for m in $(awk -v d="$dir" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
}

net_down() {
  "$BIN/kube-proxy" --cleanup >/dev/null 2>&1 || true
  del_chains iptables KUBE-; del_chains ip6tables KUBE-
  del_chains iptables LFK8S-
  # kube-router's ipsets (its chains are KUBE-* too); docker uses none.
  local set
  for set in $(ipset list -n 2>/dev/null | grep -E '^(KUBE-|kube-router)' || true); do
    ipset destroy "$set" 2>/dev/null || true
  done
  del_portmap_rules
  ip route del "$SERVICE_CIDR" 2>/dev/null || true
  ip link del "$BRIDGE" 2>/dev/null || true
  ip addr del "$NODE_IP/32" dev lo 2>/dev/null || true
  rm -f /var/lib/cni/results/lakeforge-k8s-* 2>/dev/null || true
}

restore_sysctls() {
  [ -f "$STATE/sysctl.orig" ] || return 0
  local kv; while read -r kv; do sysctl -qw "$kv" 2>/dev/null || true; done <"$STATE/sysctl.orig"
}

cgroups_down() {
  local d
  for d in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods; do
    [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
  done
  return 0
}

down_all() {
  local n
  # The apiserver drains for up to a minute on TERM; nothing here needs that grace.
  for n in kube-router kube-proxy kubelet kube-scheduler kube-controller-manager; do stop "$n"; done
  stop kube-apiserver 2; stop etcd
  containers_down
  stop containerd
  kill_shims
  unmount_under "$STATE/"; unmount_under "$RUN/"
  net_down
  restore_sysctls
  cgroups_down
  find /var/log/containers -maxdepth 1 -lname "$STATE/*" -delete 2>/dev/null || true
  rm -rf "$STATE" "$RUN"
  rm -f "$KUBECONFIG_OUT"
}
