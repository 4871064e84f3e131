import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Address, Endpoint } from "../types";
import { logReaderIdentity } from "./kubernetes-logs";
import { PART_OF, SERVICE_LABEL, serviceIngressPolicy } from "./kubernetes-network";
import { configHash, containerEnv, keyFiles, podIdentity, podSpec, podStorage, type KeyedFile } from "./kubernetes-pod";
import { adminKey, externalAddress } from "./kubernetes-admin";
import type { KubernetesSettings } from "./kubernetes-settings";
import { Reachable } from "./reachable";
import { portOf, type DeployedService, type LogDelivery, type Runtime, type ServicePort, type ServiceSpec } from "./spec";

/** Pod template annotation whose change rolls the pods when a mounted file or credential changes. */
export const CONFIG_HASH_ANNOTATION = "lakeforge.dev/config-sha256";
/** Capabilities each Pod Security level lets a container add back (Pod Security Standards). */
export const ADDABLE_CAPABILITIES: Readonly<Record<KubernetesSettings["podSecurity"], readonly string[]>> = {
    restricted: ["NET_BIND_SERVICE"],
    baseline: [
        "AUDIT_WRITE",
        "CHOWN",
        "DAC_OVERRIDE",
        "FOWNER",
        "FSETID",
        "KILL",
        "MKNOD",
        "NET_BIND_SERVICE",
        "SETFCAP",
        "SETGID",
        "SETPCAP",
        "SETUID",
        "SYS_CHROOT",
    ],
};

/** What the kubernetes runtime needs from the stack: settings, the provider and the platform namespace. */
export interface KubernetesRuntimeArgs {
    readonly settings: KubernetesSettings;
    readonly provider: k8s.Provider;
    readonly namespace: k8s.core.v1.Namespace;
}

/**
 * Options of objects that hold (or own the claims to) data: kept in the cluster when Pulumi deletes
 * them (destroy, replacement) when `protect` is on. Not `protect`: a protected object makes
 * `pulumi destroy` fail instead of leaving it behind.
 */
export function dataOptions(settings: Pick<KubernetesSettings, "protect">): { protect: false; retainOnDelete: boolean } {
    return { protect: false, retainOnDelete: settings.protect };
}

/** The Secrets and ConfigMap one service reads, by the names its pod refers to them with. */
interface ServiceConfig {
    readonly files: KeyedFile[];
    readonly envSecret?: pulumi.Output<string>;
    readonly fileSecret?: pulumi.Output<string>;
    readonly configMap?: pulumi.Output<string>;
}

/**
 * Realizes ServiceSpecs in one namespace: a StatefulSet with volume claims for services with
 * volumes, a Deployment otherwise, a ClusterIP Service each, credentials in Secrets, other files in
 * ConfigMaps, an ingress NetworkPolicy each and, by `adminAccess`, a separate NodePort or
 * LoadBalancer Service for the ports the machine running Pulumi must reach.
 */
export class KubernetesRuntime implements Runtime {
    readonly target = "kubernetes" as const;

    constructor(private readonly args: KubernetesRuntimeArgs) {}

    /** A collector reads the pods' output through the API server, allowed in this namespace only. */
    get logDelivery(): LogDelivery {
        return { kind: "pull", namespace: this.args.settings.namespace, serviceLabel: SERVICE_LABEL };
    }

    deploy(spec: ServiceSpec, parent: pulumi.Resource): DeployedService {
        const { settings, provider } = this.args;
        this.checkCapabilities(spec);
        // Everything but the StatefulSet is rebuilt from state at no cost: never protected, even under a protected parent.
        const opts = { parent, provider, protect: false };
        const config = this.serviceConfig(spec, opts);
        const identity = podIdentity(spec.name, spec.user, settings.defaultUser);
        // A UID without a passwd entry has no home directory; point it at the writable /tmp.
        const env = spec.user === undefined && spec.env["HOME"] === undefined ? { ...spec.env, HOME: "/tmp" } : spec.env;
        const serviceAccount = spec.collectsLogs === true ? logReaderIdentity(spec.name, (n) => this.metadata(spec, n), opts) : undefined;
        const template = {
            metadata: { labels: this.labels(spec), annotations: { [CONFIG_HASH_ANNOTATION]: configHash(config.files, spec.secretEnv) } },
            spec: podSpec(spec, {
                identity,
                env: containerEnv(env, Object.keys(spec.secretEnv).sort(), config.envSecret),
                storage: podStorage(spec, config.files, { secretFiles: config.fileSecret, configFiles: config.configMap }),
                serviceAccount,
            }),
        };
        const workload = this.workload(spec, template, opts);
        // A service without ports (a sidecar-like worker) gets no Service and no ingress at all.
        const service =
            spec.ports.length === 0
                ? undefined
                : new k8s.core.v1.Service(
                      spec.name,
                      {
                          metadata: this.metadata(spec, spec.name),
                          spec: { type: "ClusterIP", selector: this.selector(spec), ports: servicePorts(spec.ports) },
                      },
                      opts,
                  );
        const admin = this.adminService(spec, opts);
        if (service !== undefined) {
            new k8s.networking.v1.NetworkPolicy(
                spec.name,
                { metadata: this.metadata(spec, spec.name), spec: serviceIngressPolicy(spec, settings) },
                opts,
            );
        }

        const internalHost = `${spec.name}.${settings.namespace}.svc.${settings.clusterDomain}`;
        const routed = [workload, ...(service === undefined ? [] : [service]), ...(admin === undefined ? [] : [admin])];
        // Each published port, gated on this machine reaching it: a Ready workload is not yet a routed one.
        const published = new Map(
            spec.ports
                .filter((p) => p.publishAs !== undefined)
                .map((p) => {
                    const address = pulumi.output(externalAddress(settings, spec, p, { host: internalHost, port: p.port }, admin));
                    const gate = new Reachable(
                        `${spec.name}-${p.name}-reachable`,
                        { host: address.host, port: address.port },
                        { parent, dependsOn: routed },
                    );
                    return [p.name, { address, gate }] as const;
                }),
        );
        return {
            ready: [...routed, ...[...published.values()].map((p) => p.gate)],
            internal: (portName: string): Address => ({ host: internalHost, port: portOf(spec, portName).port }),
            endpoint: (portName: string): Endpoint => {
                const port = portOf(spec, portName);
                const internal: Address = { host: internalHost, port: port.port };
                const external = published.get(portName);
                // Resolves once the workload is ready (and a published port reachable), so consumers wait for a healthy service.
                return pulumi
                    .all([workload.id, external?.gate.id, external?.address ?? internal])
                    .apply(([, , ext]) => ({ scheme: port.scheme, internal, external: ext }));
            },
        };
    }

    /** Fails before any resource exists when the namespace's Pod Security level would refuse the pod. */
    private checkCapabilities(spec: ServiceSpec): void {
        const level = this.args.settings.podSecurity;
        const refused = spec.capabilities.filter((c) => !ADDABLE_CAPABILITIES[level].includes(c));
        if (refused.length === 0) return;
        const hint =
            level === "restricted" && refused.every((c) => ADDABLE_CAPABILITIES.baseline.includes(c))
                ? `; set lakeforge:kubernetes.podSecurity to "baseline" for this stack`
                : "";
        throw new Error(
            `service ${spec.name} needs capabilities ${refused.join(", ")}, which the ${level} Pod Security level refuses${hint}`,
        );
    }

    private labels(spec: ServiceSpec): Record<string, string> {
        return { ...PART_OF, [SERVICE_LABEL]: spec.name };
    }

    private selector(spec: ServiceSpec): Record<string, string> {
        return { [SERVICE_LABEL]: spec.name, "app.kubernetes.io/part-of": PART_OF["app.kubernetes.io/part-of"] };
    }

    private metadata(spec: ServiceSpec, name: string): k8s.types.input.meta.v1.ObjectMeta {
        return { name, namespace: this.args.namespace.metadata.name, labels: this.labels(spec) };
    }

    /** Credentials go to Secrets (values kept as Pulumi secrets), other files to a ConfigMap. */
    private serviceConfig(spec: ServiceSpec, opts: pulumi.CustomResourceOptions): ServiceConfig {
        const files = keyFiles(spec.files);
        const secretData = (entries: [string, pulumi.Input<string>][]) =>
            Object.fromEntries(entries.map(([k, v]) => [k, pulumi.secret(v)]));
        const secret = (suffix: string, entries: [string, pulumi.Input<string>][]) =>
            entries.length === 0
                ? undefined
                : new k8s.core.v1.Secret(
                      `${spec.name}-${suffix}`,
                      { metadata: this.metadata(spec, `${spec.name}-${suffix}`), type: "Opaque", stringData: secretData(entries) },
                      opts,
                  ).metadata.name;
        const envSecret = secret("env", Object.entries(spec.secretEnv));
        const fileSecret = secret(
            "files",
            files.filter((f) => f.secret).map((f) => [f.key, f.content]),
        );
        const configFiles = files.filter((f) => !f.secret);
        const configMap =
            configFiles.length === 0
                ? undefined
                : new k8s.core.v1.ConfigMap(
                      `${spec.name}-config`,
                      {
                          metadata: this.metadata(spec, `${spec.name}-config`),
                          data: Object.fromEntries(configFiles.map((f) => [f.key, f.content])),
                      },
                      opts,
                  ).metadata.name;
        return { files, envSecret, fileSecret, configMap };
    }

    /** A StatefulSet with one claim per spec volume when the service keeps state, else a Deployment. */
    private workload(
        spec: ServiceSpec,
        template: k8s.types.input.core.v1.PodTemplateSpec,
        opts: pulumi.CustomResourceOptions,
    ): k8s.apps.v1.StatefulSet | k8s.apps.v1.Deployment {
        const { settings } = this.args;
        const metadata = this.metadata(spec, spec.name);
        const selector = { matchLabels: this.selector(spec) };
        if (spec.volumes.length === 0) {
            return new k8s.apps.v1.Deployment(spec.name, { metadata, spec: { replicas: 1, selector, template } }, opts);
        }
        const sizes: Readonly<Record<string, string | undefined>> = settings.volumeSizes;
        const storage = sizes[spec.name] ?? settings.volumeSize;
        const volumeClaimTemplates = spec.volumes.map((v) => ({
            metadata: { name: v.name, labels: this.labels(spec) },
            spec: { accessModes: ["ReadWriteOnce"], storageClassName: settings.storageClass, resources: { requests: { storage } } },
        }));
        // The governing Service a StatefulSet names must be headless: it gives each pod its own DNS name.
        const headless = new k8s.core.v1.Service(
            `${spec.name}-pods`,
            {
                metadata: this.metadata(spec, `${spec.name}-pods`),
                spec: { clusterIP: "None", publishNotReadyAddresses: true, selector: this.selector(spec), ports: servicePorts(spec.ports) },
            },
            opts,
        );
        return new k8s.apps.v1.StatefulSet(
            spec.name,
            {
                metadata,
                spec: {
                    replicas: 1,
                    serviceName: headless.metadata.name,
                    selector,
                    template,
                    volumeClaimTemplates,
                    // Claims outlive the StatefulSet: deleting or replacing it never deletes data.
                    persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
                },
            },
            { ...opts, ...dataOptions(settings) },
        );
    }

    /** The NodePort or LoadBalancer Service for published ports; separate from the ClusterIP one so policy can forbid it. */
    private adminService(spec: ServiceSpec, opts: pulumi.CustomResourceOptions): k8s.core.v1.Service | undefined {
        const { settings } = this.args;
        const published = spec.ports.filter((p) => p.publishAs !== undefined);
        if (published.length === 0 || (settings.adminAccess !== "nodePort" && settings.adminAccess !== "loadBalancer")) return undefined;
        const nodePort = settings.adminAccess === "nodePort";
        const ports = servicePorts(published).map((p, i) =>
            nodePort ? { ...p, nodePort: settings.nodePorts[adminKey(spec, published[i] as ServicePort)] } : p,
        );
        const name = `${spec.name}-admin`;
        return new k8s.core.v1.Service(
            name,
            {
                metadata: {
                    ...this.metadata(spec, name),
                    annotations:
                        Object.keys(settings.adminServiceAnnotations).length > 0 ? { ...settings.adminServiceAnnotations } : undefined,
                },
                spec: { type: nodePort ? "NodePort" : "LoadBalancer", selector: this.selector(spec), ports },
            },
            opts,
        );
    }
}

/** Service ports for spec ports; the target is the container port by number. */
function servicePorts(ports: readonly ServicePort[]): k8s.types.input.core.v1.ServicePort[] {
    return ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.port, protocol: "TCP" }));
}
