# shellcheck shell=bash
# Builds the cluster's Go binaries from the Go module proxy into $CACHE/bin, once per version.
# Sourced by cluster.sh (after lib.sh); `cluster.sh build` runs build_all alone.

GO_BUILD_FLAGS=(-p 1 -trimpath)

# go_wrapper DIR MODULE VERSION [replace lines...]: a throwaway module at DIR that requires
# MODULE@VERSION; `go build` of the module's commands then runs from DIR.
go_wrapper() {
  local dir=$1 mod=$2 ver=$3; shift 3
  mkdir -p "$dir"
  {
    echo "module lakeforge.local/build"
    echo
    echo "go 1.25.0"
    echo
    echo "require $mod $ver"
    local r
    for r in "$@"; do echo "replace $r"; done
  } >"$dir/go.mod"
}

# tools_go DIR PKG...: blank imports so `go mod tidy` records every dependency of the commands.
tools_go() {
  local dir=$1; shift
  { echo "//go:build tools"; echo; echo "package tools"; echo; echo "import ("
    local p; for p in "$@"; do echo "	_ \"$p\""; done; echo ")"; } >"$dir/tools.go"
}

build_k8s() {
  local cmds=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
  local missing=0 c
  for c in "${cmds[@]}"; do [ -x "$BIN/$c" ] || missing=1; done
  [ $missing = 1 ] || return 0
  local dir=$SRC/kubernetes-$K8S_VERSION log=$LOGS/build-kubernetes-$K8S_VERSION.log
  mkdir -p "$LOGS" "$BIN"
  say "building Kubernetes $K8S_VERSION (${cmds[*]}) from the Go module proxy; log $log"
  local gomod
  gomod=$(cd /tmp && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  [ -f "$gomod" ] || die "could not download k8s.io/kubernetes@$K8S_VERSION"
  # Every staging module the kubernetes go.mod replaces with ./staging/src/k8s.io/X is pinned to
  # the published k8s.io/X v0.<minor>.<patch> that was cut from the same tree.
  local staging_ver=v0.${K8S_VERSION#v1.} replaces=()
  local m
  while read -r m; do replaces+=("$m => $m $staging_ver"); done < <(
    sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\1#p' "$gomod")
  [ ${#replaces[@]} -gt 20 ] || die "found only ${#replaces[@]} staging modules in $gomod"
  go_wrapper "$dir" k8s.io/kubernetes "$K8S_VERSION" "${replaces[@]}"
  local pkgs=(); for c in "${cmds[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  tools_go "$dir" "${pkgs[@]}"
  (cd "$dir" && nicely go mod tidy) >>"$log" 2>&1 || die "go mod tidy failed; see $log"
  # The version every component reports (kubectl version, node status, discovery).
  local x="" p
  local minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    x+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    x+=" -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  for c in "${cmds[@]}"; do
    [ -x "$BIN/$c" ] && continue
    local t0; t0=$(now)
    (cd "$dir" && CGO_ENABLED=0 nicely go build "${GO_BUILD_FLAGS[@]}" -tags providerless \
      -ldflags "-s -w$x" -o "$BIN/$c.tmp" "k8s.io/kubernetes/cmd/$c") >>"$log" 2>&1 ||
      die "building $c failed; see $log"
    mv "$BIN/$c.tmp" "$BIN/$c"
    say "built $c in $(printf '%.0f' "$(echo "$(now) - $t0" | bc)")s"
  done
}

# go_tool NAME MODULE VERSION PKG: builds one command of MODULE@VERSION to $TOOLS/NAME-VERSION.
go_tool() {
  local name=$1 mod=$2 ver=$3 pkg=$4
  local out=$TOOLS/$name-$ver
  [ -x "$out" ] && return 0
  local dir=$SRC/$name-$ver log=$LOGS/build-$name-$ver.log t0
  t0=$(now)
  mkdir -p "$LOGS" "$TOOLS"
  say "building $name $ver from the Go module proxy; log $log"
  go_wrapper "$dir" "$mod" "$ver"
  tools_go "$dir" "$pkg"
  (cd "$dir" && nicely go mod tidy) >>"$log" 2>&1 || die "go mod tidy for $name failed; see $log"
  (cd "$dir" && CGO_ENABLED=0 nicely go build "${GO_BUILD_FLAGS[@]}" -ldflags "-s -w" -o "$out.tmp" "$pkg") \
    >>"$log" 2>&1 || die "building $name failed; see $log"
  mv "$out.tmp" "$out"
  say "built $name in $(printf '%.0f' "$(echo "$(now) - $t0" | bc)")s"
}

build_all() {
  export GOTOOLCHAIN=local
  command -v go >/dev/null || die "go is needed to build the cluster's binaries"
  build_k8s
  go_tool etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION" go.etcd.io/etcd/server/v3
  go_tool coredns github.com/coredns/coredns "$COREDNS_VERSION" github.com/coredns/coredns
  go_tool local-path-provisioner github.com/rancher/local-path-provisioner "$LPP_VERSION" \
    github.com/rancher/local-path-provisioner
  go_tool kube-router github.com/cloudnativelabs/kube-router/v2 "$KUBE_ROUTER_VERSION" \
    github.com/cloudnativelabs/kube-router/v2/cmd/kube-router
}
