import { imagePinnedByDigest } from "../../rules/image-pinned-by-digest";
import { imageTagPinned } from "../../rules/image-tag-pinned";
import { DIGEST, dockerPostgres, k8sTrino, lakeforgeContainer, remoteImage } from "../fixtures";
import type { RuleSpec } from "../util";

const TRINO = ["spec", "template", "spec", "containers", 0, "image"] as const;
const INIT = ["spec", "template", "spec", "initContainers", 0, "image"] as const;

/** Image pinning rules. */
export const imageSpecs: RuleSpec[] = [
    {
        rule: imageTagPinned,
        passing: [
            dockerPostgres,
            { ...dockerPostgres, label: "docker container by tag only", props: { ...dockerPostgres.props, image: "postgres:16.4-alpine" } },
            { ...dockerPostgres, label: "docker container by image id", props: { ...dockerPostgres.props, image: DIGEST } },
            {
                ...dockerPostgres,
                label: "registry with port",
                props: { ...dockerPostgres.props, image: "localhost:5000/lakeforge/hive:4.0.1" },
            },
            remoteImage,
            k8sTrino,
            lakeforgeContainer,
        ],
        violations: [
            { branch: "docker image without tag", set: ["image"], to: "postgres", expect: /^image: .*found "postgres" with no tag/ },
            { branch: "docker image latest", set: ["image"], to: "postgres:latest", expect: /^image: .*floating tag "latest"/ },
            {
                branch: "lakeforge container on latest",
                from: "lakeforge proxmox container",
                set: ["image"],
                to: "postgres:latest",
                expect: /^image: .*floating tag "latest"/,
            },
            { branch: "registry port is not a tag", set: ["image"], to: "localhost:5000/lakeforge/hive", expect: /no tag/ },
            {
                branch: "remote image without tag",
                from: "docker remote image",
                set: ["name"],
                to: "minio/minio",
                expect: /^name: .*no tag/,
            },
            {
                branch: "pod container on latest",
                from: "kubernetes trino deployment",
                set: TRINO,
                to: "trinodb/trino:latest",
                expect: /containers\[0\]\.image: .*"latest"/,
            },
            {
                branch: "init container untagged",
                from: "kubernetes trino deployment",
                set: INIT,
                to: "busybox",
                expect: /initContainers\[0\]\.image: .*no tag/,
            },
        ],
    },
    {
        rule: imagePinnedByDigest,
        passing: [
            dockerPostgres,
            { ...dockerPostgres, label: "docker container by image id", props: { ...dockerPostgres.props, image: DIGEST } },
            remoteImage,
            k8sTrino,
            lakeforgeContainer,
        ],
        violations: [
            {
                branch: "docker image by tag only",
                set: ["image"],
                to: "postgres:16.4-alpine",
                expect: /^image: expected .*digest.*found "postgres:16.4-alpine"/,
            },
            {
                branch: "remote image by tag only",
                from: "docker remote image",
                set: ["name"],
                to: "minio/minio:RELEASE.2024-10-13T13-34-11Z",
                expect: /^name: /,
            },
            {
                branch: "lakeforge container by tag only",
                from: "lakeforge proxmox container",
                set: ["image"],
                to: "postgres:16.15-alpine",
                expect: /^image: expected .*digest.*found "postgres:16.15-alpine"/,
            },
            {
                branch: "pod container by tag only",
                from: "kubernetes trino deployment",
                set: TRINO,
                to: "trinodb/trino:460",
                expect: /containers\[0\]\.image: /,
            },
            { branch: "malformed digest", set: ["image"], to: "postgres:16.4@sha256:abc", expect: /^image: / },
        ],
    },
];
