import { dockerHealthcheckPresent } from "../../rules/docker-healthcheck-present";
import { dockerLogRotation } from "../../rules/docker-log-rotation";
import { dockerMemoryLimit } from "../../rules/docker-memory-limit";
import { kubernetesProbesPresent } from "../../rules/kubernetes-probes-present";
import { kubernetesResourcesSet } from "../../rules/kubernetes-resources-set";
import { proxmoxLxcHealthcheckPresent } from "../../rules/proxmox-lxc-healthcheck-present";
import { proxmoxLxcResourcesSet } from "../../rules/proxmox-lxc-resources-set";
import { ABSENT, type RuleSpec } from "../util";
import { dockerPostgres, k8sCronJob, k8sPostgres, k8sTrino, lakeforgeContainer } from "../fixtures";

const C0 = ["spec", "template", "spec", "containers", 0] as const;

/** Rules that keep services observable and bounded. */
export const operabilitySpecs: RuleSpec[] = [
    {
        rule: proxmoxLxcResourcesSet,
        passing: [lakeforgeContainer],
        violations: [
            {
                branch: "memory absent",
                set: ["config", "memory"],
                to: ABSENT,
                expect: /^config\.memory: expected a positive number, found absent/,
            },
            { branch: "memory 0", set: ["config", "memory"], to: 0, expect: /^config\.memory: .*found 0/ },
            { branch: "cores absent", set: ["config", "cores"], to: ABSENT, expect: /^config\.cores: .*found absent/ },
        ],
    },
    {
        rule: proxmoxLxcHealthcheckPresent,
        passing: [lakeforgeContainer],
        violations: [
            {
                branch: "health check absent",
                set: ["healthCheck"],
                to: ABSENT,
                expect: /^healthCheck: expected a health check command, found none/,
            },
            { branch: "health check empty", set: ["healthCheck"], to: [], expect: /^healthCheck: / },
        ],
    },
    {
        rule: dockerMemoryLimit,
        passing: [dockerPostgres],
        violations: [
            { branch: "memory absent", set: ["memory"], to: ABSENT, expect: /^memory: expected a memory limit in MB .*found absent/ },
            { branch: "memory 0", set: ["memory"], to: 0, expect: /found 0/ },
        ],
    },
    {
        rule: kubernetesResourcesSet,
        passing: [k8sPostgres, k8sTrino, k8sCronJob],
        violations: [
            {
                branch: "limits.memory absent",
                set: [...C0, "resources", "limits"],
                to: ABSENT,
                expect: /containers\[0\]\.resources: expected limits\.memory to be set/,
            },
            {
                branch: "requests.cpu absent",
                set: [...C0, "resources", "requests", "cpu"],
                to: ABSENT,
                expect: /expected requests\.cpu to be set/,
            },
            {
                branch: "resources absent",
                set: [...C0, "resources"],
                to: ABSENT,
                expect: /expected requests\.cpu, requests\.memory, limits\.memory/,
            },
        ],
    },
    {
        rule: dockerHealthcheckPresent,
        passing: [dockerPostgres],
        violations: [
            { branch: "healthcheck absent", set: ["healthcheck"], to: ABSENT, expect: /^healthcheck\.tests: .*found none/ },
            { branch: "healthcheck disabled", set: ["healthcheck", "tests"], to: ["NONE"], expect: /\["NONE"\]/ },
        ],
    },
    {
        rule: kubernetesProbesPresent,
        passing: [k8sPostgres, k8sTrino, k8sCronJob],
        violations: [
            {
                branch: "readiness absent",
                set: [...C0, "readinessProbe"],
                to: ABSENT,
                expect: /containers\[0\]\.readinessProbe: expected a probe/,
            },
            { branch: "liveness absent", set: [...C0, "livenessProbe"], to: ABSENT, expect: /containers\[0\]\.livenessProbe: / },
        ],
    },
    {
        rule: dockerLogRotation,
        passing: [
            dockerPostgres,
            { ...dockerPostgres, label: "local driver", props: { ...dockerPostgres.props, logDriver: "local", logOpts: {} } },
        ],
        violations: [
            {
                branch: "max-size absent",
                set: ["logOpts", "max-size"],
                to: ABSENT,
                expect: /^logOpts\["max-size"\]: expected a size limit/,
            },
            { branch: "default driver without options", set: ["logOpts"], to: ABSENT, expect: /^logOpts\["max-size"\]: / },
            {
                branch: "driver absent (json-file default)",
                from: "local driver",
                set: ["logDriver"],
                to: ABSENT,
                expect: /^logOpts\["max-size"\]: /,
            },
        ],
    },
];
