import { K8S } from "./types";
import { at, isRecord, isUnknown, list, UNKNOWN, type Props } from "./inputs";

/** A key path into resource inputs. */
export type Path = readonly (string | number)[];

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATHS: Readonly<Record<string, Path>> = {
    [K8S.pod]: ["spec"],
    [K8S.deployment]: ["spec", "template", "spec"],
    [K8S.statefulSet]: ["spec", "template", "spec"],
    [K8S.daemonSet]: ["spec", "template", "spec"],
    [K8S.replicaSet]: ["spec", "template", "spec"],
    [K8S.job]: ["spec", "template", "spec"],
    [K8S.cronJob]: ["spec", "jobTemplate", "spec", "template", "spec"],
};

/** Workload kinds that run to completion, so they carry no long-running probes. */
export const RUN_TO_COMPLETION: readonly string[] = [K8S.job, K8S.cronJob];

/** A pod spec and where it sits in the resource's inputs. */
export interface PodSpecRef {
    readonly path: Path;
    readonly spec: Props;
}

/** The pod spec of a workload: undefined for non-workloads or no spec, `UNKNOWN` if unknown. */
export function podSpecOf(type: string, props: Props): PodSpecRef | typeof UNKNOWN | undefined {
    const path = POD_SPEC_PATHS[type];
    if (path === undefined) return undefined;
    const spec = at(props, ...path);
    if (isUnknown(spec)) return UNKNOWN;
    return isRecord(spec) ? { path, spec } : undefined;
}

/** One container of a pod spec. */
export interface ContainerRef {
    readonly path: Path;
    readonly spec: Props;
    /** The container's name, or its path when it has none. */
    readonly label: string;
    readonly init: boolean;
}

/** Known containers (init containers first); unknown lists and entries are skipped. */
export function containersOf(pod: PodSpecRef): ContainerRef[] {
    return (["initContainers", "containers"] as const).flatMap((kind) => {
        const entries = list(pod.spec[kind]);
        if (entries === UNKNOWN) return [];
        return entries.flatMap((spec, i) => {
            if (!isRecord(spec)) return [];
            const name = at(spec, "name");
            const path = [...pod.path, kind, i];
            const label = typeof name === "string" && !isUnknown(name) ? name : `${kind}[${i}]`;
            return [{ path, spec, label, init: kind === "initContainers" }];
        });
    });
}

/** A pod security setting as the container sees it: its own `securityContext`, else the pod's. */
export function securitySetting(pod: PodSpecRef, container: ContainerRef, ...path: Path): unknown {
    const own = at(container.spec, "securityContext", ...path);
    return own !== undefined ? own : at(pod.spec, "securityContext", ...path);
}
