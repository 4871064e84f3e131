import { dockerNoHostNetwork } from "../../rules/docker-no-host-network";
import { dockerPortsBoundToHostAddress } from "../../rules/docker-ports-bound-to-host-address";
import { kubernetesNoHostNetworkOrPorts } from "../../rules/kubernetes-no-host-network-or-ports";
import { kubernetesServiceInternalOnly } from "../../rules/kubernetes-service-internal-only";
import { minioBucketPrivate } from "../../rules/minio-bucket-private";
import { ABSENT, type RuleSpec } from "../util";
import { dockerPostgres, k8sPostgres, k8sService, minioBucket, minioBucketPolicy } from "../fixtures";

const POD = ["spec", "template", "spec"] as const;

/** Rules about what is reachable from outside. */
export const exposureSpecs: RuleSpec[] = [
    {
        rule: dockerPortsBoundToHostAddress,
        passing: [
            dockerPostgres,
            { ...dockerPostgres, label: "no published ports", props: { ...dockerPostgres.props, ports: [] } },
            {
                ...dockerPostgres,
                label: "specific LAN address",
                props: { ...dockerPostgres.props, ports: [{ internal: 5432, ip: "192.168.1.20" }] },
            },
        ],
        violations: [
            {
                branch: "ip absent",
                set: ["ports", 0, "ip"],
                to: ABSENT,
                expect: /^ports\[0\]\.ip: expected a loopback .*found absent.*port 5432/,
            },
            { branch: "ip 0.0.0.0", set: ["ports", 0, "ip"], to: "0.0.0.0", expect: /^ports\[0\]\.ip: .*found "0\.0\.0\.0"/ },
            { branch: "ip ::", set: ["ports", 0, "ip"], to: "::", expect: /found "::"/ },
            { branch: "publishAllPorts", set: ["publishAllPorts"], to: true, expect: /^publishAllPorts: expected false/ },
        ],
    },
    {
        rule: dockerNoHostNetwork,
        passing: [
            dockerPostgres,
            { ...dockerPostgres, label: "bridge network mode", props: { ...dockerPostgres.props, networkMode: "bridge" } },
        ],
        violations: [{ branch: "host network", set: ["networkMode"], to: "host", expect: /^networkMode: .*found "host"/ }],
    },
    {
        rule: kubernetesServiceInternalOnly,
        passing: [
            k8sService,
            { ...k8sService, label: "type absent (ClusterIP)", props: { ...k8sService.props, spec: { selector: { app: "postgres" } } } },
            {
                ...k8sService,
                label: "NodePort on a kind stack",
                props: { ...k8sService.props, spec: { type: "NodePort", selector: { app: "postgres" } } },
                settings: { allowNodePort: true },
            },
        ],
        violations: [
            {
                branch: "NodePort in prod",
                set: ["spec", "type"],
                to: "NodePort",
                expect: /^spec\.type: expected "ClusterIP".*found "NodePort"/,
            },
            { branch: "LoadBalancer in prod", set: ["spec", "type"], to: "LoadBalancer", expect: /found "LoadBalancer"/ },
            {
                branch: "LoadBalancer where only NodePort is allowed",
                from: "NodePort on a kind stack",
                set: ["spec", "type"],
                to: "LoadBalancer",
                expect: /found "LoadBalancer"/,
            },
            {
                branch: "NodePort once the allowance is removed",
                from: "NodePort on a kind stack",
                settings: { allowNodePort: false },
                expect: /found "NodePort"/,
            },
            { branch: "externalIPs", set: ["spec", "externalIPs"], to: ["203.0.113.10"], expect: /^spec\.externalIPs: expected none/ },
        ],
    },
    {
        rule: kubernetesNoHostNetworkOrPorts,
        passing: [k8sPostgres],
        violations: [
            { branch: "hostNetwork", set: [...POD, "hostNetwork"], to: true, expect: /^spec\.template\.spec\.hostNetwork: expected false/ },
            {
                branch: "hostPort",
                set: [...POD, "containers", 0, "ports", 0, "hostPort"],
                to: 5432,
                expect: /containers\[0\]\.ports\[0\]\.hostPort: expected absent, found 5432/,
            },
        ],
    },
    {
        rule: minioBucketPrivate,
        passing: [
            minioBucket,
            { ...minioBucket, label: "acl absent (provider default private)", props: { bucket: "lake" } },
            minioBucketPolicy,
            { ...minioBucketPolicy, label: "bucket policy that is not JSON", props: { bucket: "lake", policy: "not json" } },
        ],
        violations: [
            { branch: "public acl", set: ["acl"], to: "public", expect: /^acl: expected "private", found "public"/ },
            { branch: "public-read acl", set: ["acl"], to: "public-read", expect: /found "public-read"/ },
            {
                branch: "anonymous principal",
                from: "minio bucket policy",
                set: ["policy"],
                to: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: ["s3:GetObject"] }] }),
                expect: /^policy\.Statement\[0\]\.Principal: .*anonymous/,
            },
            {
                branch: "anonymous AWS principal",
                from: "minio bucket policy",
                set: ["policy"],
                to: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: ["*"] }, Action: ["s3:ListBucket"] }] }),
                expect: /anonymous/,
            },
        ],
    },
];
