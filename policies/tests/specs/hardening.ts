import { dockerCapabilitiesDropped } from "../../rules/docker-capabilities-dropped";
import { dockerContainerNonRoot } from "../../rules/docker-container-non-root";
import { dockerContainerNotPrivileged } from "../../rules/docker-container-not-privileged";
import { dockerNoHostPidIpc } from "../../rules/docker-no-host-pid-ipc";
import { dockerNoNewPrivileges } from "../../rules/docker-no-new-privileges";
import { kubernetesCapabilitiesDropped } from "../../rules/kubernetes-capabilities-dropped";
import { kubernetesNamespacePodSecurityRestricted } from "../../rules/kubernetes-namespace-pod-security-restricted";
import { kubernetesNoHostPathVolumes } from "../../rules/kubernetes-no-host-path-volumes";
import { kubernetesNoHostPidIpc } from "../../rules/kubernetes-no-host-pid-ipc";
import { kubernetesNoPrivilegeEscalation } from "../../rules/kubernetes-no-privilege-escalation";
import { kubernetesNoPrivilegedContainers } from "../../rules/kubernetes-no-privileged-containers";
import { kubernetesRunAsNonRoot } from "../../rules/kubernetes-run-as-non-root";
import { kubernetesSeccompRestricted } from "../../rules/kubernetes-seccomp-restricted";
import { noSensitiveHostMounts } from "../../rules/no-sensitive-host-mounts";
import { proxmoxLxcUnprivileged } from "../../rules/proxmox-lxc-unprivileged";
import { PROXMOX_LXC_TYPES } from "../../lib/types";
import { ABSENT, withField, type RuleSpec } from "../util";
import { dockerPostgres, dockerVault, k8sCronJob, k8sNamespace, k8sPostgres, k8sTrino, lakeforgeContainer, proxmoxLxc } from "../fixtures";

const POD = ["spec", "template", "spec"] as const;
const SC = [...POD, "containers", 0, "securityContext"] as const;
const logCollector = {
    ...k8sTrino,
    label: "log collector with an allowed host path",
    props: withField(k8sTrino.props, [...POD, "volumes", 1], { name: "pods", hostPath: { path: "/var/log/pods/" } }),
    settings: { allowedHostPaths: ["/var/log/pods"] },
};
const containerLevelNonRoot = {
    ...k8sPostgres,
    label: "container-level runAsNonRoot only",
    props: withField(withField(k8sPostgres.props, [...POD, "securityContext", "runAsNonRoot"], ABSENT), [...SC, "runAsNonRoot"], true),
};

/** Container and guest hardening rules. */
export const hardeningSpecs: RuleSpec[] = [
    {
        rule: dockerContainerNotPrivileged,
        passing: [dockerPostgres],
        violations: [{ branch: "privileged", set: ["privileged"], to: true, expect: /^privileged: expected false or absent, found true/ }],
    },
    {
        rule: dockerNoHostPidIpc,
        passing: [dockerPostgres, { ...dockerPostgres, label: "private ipc", props: { ...dockerPostgres.props, ipcMode: "private" } }],
        violations: [
            { branch: "host pid", set: ["pidMode"], to: "host", expect: /^pidMode: .*found "host"/ },
            { branch: "host ipc", set: ["ipcMode"], to: "host", expect: /^ipcMode: / },
            { branch: "host userns", set: ["usernsMode"], to: "host", expect: /^usernsMode: / },
        ],
    },
    {
        rule: noSensitiveHostMounts,
        passing: [
            dockerPostgres,
            {
                ...dockerPostgres,
                label: "dedicated data dir",
                props: { ...dockerPostgres.props, volumes: [{ hostPath: "/srv/lakeforge/pg", containerPath: "/data" }] },
            },
            proxmoxLxc,
            { ...proxmoxLxc, label: "proxmox 7.x container", type: PROXMOX_LXC_TYPES[1] ?? "" },
        ],
        violations: [
            {
                branch: "docker socket volume",
                set: ["volumes", 1],
                to: { hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" },
                expect: /^volumes\[1\]\.hostPath: .*"\/var\/run\/docker\.sock"/,
            },
            {
                branch: "docker socket bind mount",
                set: ["mounts"],
                to: [{ type: "bind", source: "/run/docker.sock", target: "/run/docker.sock", readOnly: true }],
                expect: /^mounts\[0\]\.source: /,
            },
            { branch: "host /etc", set: ["volumes", 0, "hostPath"], to: "/etc", expect: /found host path "\/etc"/ },
            { branch: "host root via dot-dot", set: ["volumes", 0, "hostPath"], to: "/srv/../", expect: /found host path "\/srv\/\.\.\/"/ },
            {
                branch: "lxc bind of /etc/pve",
                from: "proxmox lxc container",
                set: ["mountPoints", 0, "volume"],
                to: "/etc/pve",
                expect: /^mountPoints\[0\]\.volume: /,
            },
            {
                branch: "7.x lxc bind of /",
                from: "proxmox 7.x container",
                set: ["mountPoints", 0, "volume"],
                to: "/",
                expect: /^mountPoints\[0\]\.volume: /,
            },
        ],
    },
    {
        rule: dockerCapabilitiesDropped,
        passing: [dockerPostgres, dockerVault],
        violations: [
            {
                branch: "drops absent",
                set: ["capabilities", "drops"],
                to: ABSENT,
                expect: /^capabilities\.drops: expected to include "ALL", found \[\]/,
            },
            { branch: "drops without ALL", set: ["capabilities", "drops", 0], to: "NET_RAW", expect: /found \["NET_RAW"\]/ },
            {
                branch: "adds SYS_ADMIN",
                set: ["capabilities", "adds", 0],
                to: "SYS_ADMIN",
                expect: /^capabilities\.adds: .*\["SYS_ADMIN"\]/,
            },
            { branch: "adds cap_net_admin", set: ["capabilities", "adds", 5], to: "cap_net_admin", expect: /\["NET_ADMIN"\]/ },
        ],
    },
    {
        rule: dockerNoNewPrivileges,
        passing: [
            dockerPostgres,
            { ...dockerPostgres, label: "bare flag", props: { ...dockerPostgres.props, securityOpts: ["no-new-privileges"] } },
        ],
        violations: [
            {
                branch: "securityOpts absent",
                set: ["securityOpts"],
                to: ABSENT,
                expect: /^securityOpts: expected to include "no-new-privileges:true", found \[\]/,
            },
            { branch: "explicitly false", set: ["securityOpts", 0], to: "no-new-privileges:false", expect: /^securityOpts: / },
        ],
    },
    {
        rule: dockerContainerNonRoot,
        passing: [dockerPostgres, { ...dockerPostgres, label: "named user", props: { ...dockerPostgres.props, user: "postgres" } }],
        violations: [
            { branch: "user absent", set: ["user"], to: ABSENT, expect: /^user: .*found absent/ },
            { branch: "user root", set: ["user"], to: "root", expect: /^user: .*found "root"/ },
            { branch: "uid 0", set: ["user"], to: "0:0", expect: /found "0:0"/ },
        ],
    },
    {
        rule: kubernetesNoPrivilegedContainers,
        passing: [k8sPostgres, k8sTrino],
        violations: [
            {
                branch: "privileged",
                set: [...SC, "privileged"],
                to: true,
                expect: /containers\[0\]\.securityContext\.privileged: .*"postgres"/,
            },
        ],
    },
    {
        rule: kubernetesNoHostPidIpc,
        passing: [k8sPostgres],
        violations: [
            { branch: "hostPID", set: [...POD, "hostPID"], to: true, expect: /^spec\.template\.spec\.hostPID: / },
            { branch: "hostIPC", set: [...POD, "hostIPC"], to: true, expect: /^spec\.template\.spec\.hostIPC: / },
        ],
    },
    {
        rule: kubernetesNoHostPathVolumes,
        passing: [k8sTrino, logCollector],
        violations: [
            {
                branch: "hostPath volume",
                set: [...POD, "volumes", 1],
                to: { name: "sock", hostPath: { path: "/run/containerd/containerd.sock" } },
                expect: /volumes\[1\]\.hostPath: .*"\/run\/containerd\/containerd\.sock"/,
            },
            {
                branch: "allowance removed",
                from: "log collector with an allowed host path",
                settings: { allowedHostPaths: [] },
                expect: /volumes\[1\]\.hostPath: .*"\/var\/log\/pods\/"/,
            },
        ],
    },
    {
        rule: kubernetesNoPrivilegeEscalation,
        passing: [k8sPostgres, k8sTrino, k8sCronJob],
        violations: [
            {
                branch: "absent",
                set: [...SC, "allowPrivilegeEscalation"],
                to: ABSENT,
                expect: /allowPrivilegeEscalation: expected false, found absent/,
            },
            { branch: "true", set: [...SC, "allowPrivilegeEscalation"], to: true, expect: /found true/ },
            {
                branch: "init container",
                from: "kubernetes trino deployment",
                set: [...POD, "initContainers", 0, "securityContext", "allowPrivilegeEscalation"],
                to: true,
                expect: /initContainers\[0\].*"wait-for-metastore"/,
            },
        ],
    },
    {
        rule: kubernetesRunAsNonRoot,
        passing: [k8sPostgres, k8sCronJob, containerLevelNonRoot],
        violations: [
            {
                branch: "pod runAsNonRoot absent",
                set: [...POD, "securityContext", "runAsNonRoot"],
                to: ABSENT,
                expect: /runAsNonRoot: expected true .*found absent/,
            },
            { branch: "container overrides to false", set: [...SC, "runAsNonRoot"], to: false, expect: /runAsNonRoot: .*found false/ },
            {
                branch: "runAsUser 0",
                set: [...POD, "securityContext", "runAsUser"],
                to: 0,
                expect: /runAsUser: expected a non-zero UID, found 0/,
            },
        ],
    },
    {
        rule: kubernetesCapabilitiesDropped,
        passing: [k8sPostgres, k8sTrino],
        violations: [
            {
                branch: "drop absent",
                set: [...SC, "capabilities", "drop"],
                to: ABSENT,
                expect: /capabilities\.drop: expected to include "ALL", found \[\]/,
            },
            {
                branch: "adds NET_RAW",
                set: [...SC, "capabilities", "add"],
                to: ["NET_BIND_SERVICE", "NET_RAW"],
                expect: /capabilities\.add: .*\["NET_RAW"\]/,
            },
        ],
    },
    {
        rule: kubernetesSeccompRestricted,
        passing: [k8sPostgres, k8sCronJob],
        violations: [
            {
                branch: "profile absent",
                set: [...POD, "securityContext", "seccompProfile"],
                to: ABSENT,
                expect: /seccompProfile\.type: .*found absent/,
            },
            { branch: "unconfined container", set: [...SC, "seccompProfile"], to: { type: "Unconfined" }, expect: /found "Unconfined"/ },
        ],
    },
    {
        rule: kubernetesNamespacePodSecurityRestricted,
        passing: [k8sNamespace],
        violations: [
            {
                branch: "label absent",
                set: ["metadata", "labels", "pod-security.kubernetes.io/enforce"],
                to: ABSENT,
                expect: /^metadata\.labels\["pod-security\.kubernetes\.io\/enforce"\]: expected "restricted", found absent/,
            },
            {
                branch: "baseline",
                set: ["metadata", "labels", "pod-security.kubernetes.io/enforce"],
                to: "baseline",
                expect: /found "baseline"/,
            },
        ],
    },
    {
        rule: proxmoxLxcUnprivileged,
        passing: [proxmoxLxc, { ...proxmoxLxc, label: "proxmox 7.x container", type: PROXMOX_LXC_TYPES[1] ?? "" }, lakeforgeContainer],
        violations: [
            {
                branch: "lakeforge container privileged",
                from: "lakeforge proxmox container",
                set: ["create", "unprivileged"],
                to: 0,
                expect: /^create\.unprivileged: expected true, found 0/,
            },
            {
                branch: "lakeforge container unprivileged absent",
                from: "lakeforge proxmox container",
                set: ["create", "unprivileged"],
                to: ABSENT,
                expect: /found absent/,
            },
            { branch: "unprivileged absent", set: ["unprivileged"], to: ABSENT, expect: /^unprivileged: expected true, found absent/ },
            { branch: "privileged guest", set: ["unprivileged"], to: false, expect: /found false/ },
            { branch: "7.x privileged guest", from: "proxmox 7.x container", set: ["unprivileged"], to: false, expect: /found false/ },
        ],
    },
];
