#!/usr/bin/env bash
# Self-check of a running cluster (`cluster.sh up` first): in a namespace enforcing the
# `restricted` Pod Security level, a non-root web server from a locally built image writes its page
# to a PersistentVolumeClaim and serves it; another pod fetches it through a ClusterIP Service by
# DNS name; the host fetches it through a NodePort on 127.0.0.1 and on the node IP. Finally a
# deny-all NetworkPolicy must block the client and an allow rule let it in again (kube-router's
# firewall controller; with LAKEFORGE_CLUSTER_NETPOL=0 policies are only stored).
# Prints one line per check and `N passed, N failed`.
#
#   scripts/cluster/selfcheck.sh [--keep]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$HERE/lib.sh"; . "$HERE/addons.sh"
NS=lakeforge-selfcheck
NODEPORT=${SELFCHECK_NODEPORT:-30080}
pass=0 fail=0
# retry CMD...: CMD until it succeeds, 15 tries a second apart (kube-proxy syncs rules in ~1 s).
retry() { local i; for ((i = 0; i < 15; i++)); do "$@" 2>/dev/null && return 0; sleep 1; done; "$@"; }
check() { local what=$1; shift; if "$@"; then echo "ok    $what"; pass=$((pass + 1)); else echo "FAIL  $what"; fail=$((fail + 1)); fi; }

[ -f "$KUBECONFIG_OUT" ] || die "no kubeconfig at $KUBECONFIG_OUT: run cluster.sh up first"
kc delete namespace "$NS" --ignore-not-found --wait=true >/dev/null
t0=$(now)
kc apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Namespace
metadata: {name: $NS, labels: {pod-security.kubernetes.io/enforce: restricted}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: web-data, namespace: $NS}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Mi}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: $NS}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      securityContext: {runAsUser: 1000, runAsGroup: 1000}
      containers:
        - name: web
          image: $BUSYBOX_IMAGE
          imagePullPolicy: Never
          command: [sh, -c, 'echo "written to the PVC by \$(hostname)" >/data/index.html && exec httpd -f -p 8080 -h /data']
          ports: [{containerPort: 8080}]
          readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
          volumeMounts: [{name: data, mountPath: /data}]
          $RESTRICTED_CONTAINER
      volumes: [{name: data, persistentVolumeClaim: {claimName: web-data}}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: $NS}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: web-nodeport, namespace: $NS}
spec: {type: NodePort, selector: {app: web}, ports: [{port: 80, targetPort: 8080, nodePort: $NODEPORT}]}
YAML
wait_for 60 "service account $NS/default" kc -n "$NS" get serviceaccount default

# A privileged pod must be refused by Pod Security admission in this namespace.
privileged_refused() {
  ! kc -n "$NS" run priv --image "$BUSYBOX_IMAGE" --image-pull-policy Never --restart Never \
    --overrides '{"spec":{"containers":[{"name":"priv","image":"'"$BUSYBOX_IMAGE"'","securityContext":{"privileged":true}}]}}' \
    >/dev/null 2>&1
}
check "Pod Security admission refuses a privileged pod in a restricted namespace" privileged_refused
check "web rollout (restricted pod, non-root, drop ALL, seccomp RuntimeDefault)" \
  kc -n "$NS" rollout status deployment/web --timeout=120s
check "PVC web-data Bound" test "$(kc -n "$NS" get pvc web-data -o 'jsonpath={.status.phase}')" = Bound

# client CMD: runs CMD in a short-lived restricted pod and prints its output.
client() {
  local name=client-$RANDOM
  kc -n "$NS" run "$name" --image "$BUSYBOX_IMAGE" --image-pull-policy Never --restart Never --quiet \
    --overrides '{"spec":{"securityContext":{"runAsUser":1000,"runAsNonRoot":true,"seccompProfile":{"type":"RuntimeDefault"}},"containers":[{"name":"c","image":"'"$BUSYBOX_IMAGE"'","command":["sh","-c","'"$1"'"],"securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}}]}}' \
    >/dev/null
  kc -n "$NS" wait --for=jsonpath='{.status.phase}'=Succeeded "pod/$name" --timeout=60s >/dev/null 2>&1 || true
  kc -n "$NS" logs "$name" 2>/dev/null
  kc -n "$NS" delete pod "$name" --wait=false >/dev/null 2>&1 || true
}
dns_fetch() { client "timeout 10 wget -qO- http://web.$NS.svc.$CLUSTER_DOMAIN/" | grep -q 'written to the PVC'; }
check "ClusterIP Service by DNS name (web.$NS.svc.$CLUSTER_DOMAIN) from another pod" dns_fetch
short_fetch() { client "timeout 10 wget -qO- http://web/" | grep -q 'written to the PVC'; }
check "ClusterIP Service by short name (search path) from another pod" short_fetch
check "NodePort $NODEPORT from the host on 127.0.0.1" retry \
  sh -c "curl -fsS --max-time 5 http://127.0.0.1:$NODEPORT/ | grep -q 'written to the PVC'"
check "NodePort $NODEPORT from the host on the node IP $NODE_IP" retry \
  sh -c "curl -fsS --max-time 5 http://$NODE_IP:$NODEPORT/ | grep -q 'written to the PVC'"
pvdir=$(kc get pv "$(kc -n "$NS" get pvc web-data -o 'jsonpath={.spec.volumeName}')" \
  -o 'jsonpath={.spec.hostPath.path}{.spec.local.path}')
check "PVC data is on the host ($pvdir/index.html)" grep -q 'written to the PVC' "$pvdir/index.html"

# A stand-in image of the docker e2e tier (lakeforge-e2e/registry:3, CNCF Distribution), copied
# from the Docker Engine with `cluster.sh load`, run as a restricted pod on a PVC behind a NodePort.
E2E_IMAGE=${SELFCHECK_E2E_IMAGE:-lakeforge-e2e/registry:3}
if command -v docker >/dev/null && docker image inspect "$E2E_IMAGE" >/dev/null 2>&1; then
  check "cluster.sh load $E2E_IMAGE (docker save | ctr import)" bash "$HERE/cluster.sh" load "$E2E_IMAGE"
  kc apply -f - >/dev/null <<YAML
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: registry-data, namespace: $NS}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 100Mi}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: registry, namespace: $NS}
spec:
  selector: {matchLabels: {app: registry}}
  template:
    metadata: {labels: {app: registry}}
    spec:
      securityContext: {runAsUser: 1000, runAsGroup: 1000}
      containers:
        - name: registry
          image: $E2E_IMAGE
          imagePullPolicy: Never
          ports: [{containerPort: 5000}]
          readinessProbe: {httpGet: {path: /v2/, port: 5000}, periodSeconds: 1}
          volumeMounts: [{name: data, mountPath: /var/lib/registry}]
          $RESTRICTED_CONTAINER
      volumes: [{name: data, persistentVolumeClaim: {claimName: registry-data}}]
---
apiVersion: v1
kind: Service
metadata: {name: registry, namespace: $NS}
spec: {type: NodePort, selector: {app: registry}, ports: [{port: 5000, nodePort: $((NODEPORT + 1))}]}
YAML
  check "$E2E_IMAGE rollout in the restricted namespace" kc -n "$NS" rollout status deployment/registry --timeout=120s
  check "$E2E_IMAGE answers /v2/ on NodePort $((NODEPORT + 1)) at 127.0.0.1" retry \
    curl -fsS --max-time 5 -o /dev/null "http://127.0.0.1:$((NODEPORT + 1))/v2/"
  reg_dns() { client "timeout 10 wget -qO- http://registry:5000/v2/" | grep -q '{}'; }
  check "$E2E_IMAGE by Service DNS name from another pod" reg_dns
else
  echo "skip  $E2E_IMAGE not in the Docker Engine (tests/e2e/images/build.sh registry builds it)"
fi

kc apply -f - >/dev/null <<YAML
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all-ingress, namespace: $NS}
spec: {podSelector: {}, policyTypes: [Ingress]}
YAML
check "NetworkPolicy object accepted" kc -n "$NS" get networkpolicy deny-all-ingress
# blocked: the client's fetch fails for 10 s in a row (kube-router syncs policies within seconds).
blocked() { local i; for ((i = 0; i < 10; i++)); do dns_fetch || return 0; sleep 1; done; return 1; }
if [ "${LAKEFORGE_CLUSTER_NETPOL:-1}" = 1 ]; then
  check "NetworkPolicy enforced: deny-all ingress blocks the client" blocked
  kc apply -f - >/dev/null <<YAML
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-client, namespace: $NS}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress: [{from: [{podSelector: {}}], ports: [{port: 8080}]}]
YAML
  check "NetworkPolicy enforced: an allow rule lets the client in again" retry dns_fetch
else
  sleep 2
  if dns_fetch; then echo "note  NetworkPolicy is NOT enforced (LAKEFORGE_CLUSTER_NETPOL=0)"
  else echo "note  NetworkPolicy blocked the client although LAKEFORGE_CLUSTER_NETPOL=0"; fi
fi

[ "${1:-}" = --keep ] || kc delete namespace "$NS" --wait=false >/dev/null
echo "selfcheck took $(printf '%.1f' "$(echo "$(now) - $t0" | bc)")s"
echo "selfcheck: $pass passed, $fail failed"
[ "$fail" = 0 ]
