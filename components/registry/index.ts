import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Runtime, ServiceSpec } from "../../src/runtime/spec";
import type { Endpoint, Resources, S3Access } from "../../src/types";
import { REGISTRY_DEFAULTS } from "./defaults";

export { REGISTRY_DEFAULTS } from "./defaults";

/** Paths the v3 distribution image uses. */
export const REGISTRY_CONFIG_FILE = "/etc/distribution/config.yml";
export const REGISTRY_HTPASSWD_FILE = "/etc/distribution/htpasswd";
export const REGISTRY_DATA_DIR = "/var/lib/registry";

/** Where image layers live: a named volume, or a bucket of the ObjectStore. */
export type RegistryStorage = { readonly kind: "volume" } | { readonly kind: "s3"; readonly access: S3Access };

/** Inputs of the Registry capability. */
export interface RegistryArgs {
    readonly runtime: Runtime;
    /** @default "distribution" */
    readonly engine?: "distribution";
    /** @default IMAGES.distribution */
    readonly image?: string;
    /** @default { memoryMb: 256, cpus: 0.5 } */
    readonly resources?: Resources;
    /** htpasswd user. @default "lakeforge" */
    readonly username?: string;
    /** @default { kind: "volume" } */
    readonly storage?: RegistryStorage;
}

/** The S3 part of a storage block, with the registry's own key. */
export interface S3Target {
    readonly region: string;
    readonly endpointUrl: string;
    readonly bucket: string;
    readonly prefix: string;
    readonly accessKey: string;
    readonly secretKey: string;
}

/**
 * config.yml for the registry. It holds the HTTP secret (and the S3 key pair), so it is a secret
 * file: environment variables would show them in `docker inspect`.
 */
export function renderRegistryConfig(httpSecret: string, s3?: S3Target): string {
    const storage = s3
        ? [
              `  s3:`,
              `    region: ${s3.region}`,
              `    regionendpoint: ${s3.endpointUrl}`,
              `    bucket: ${s3.bucket}`,
              `    accesskey: ${JSON.stringify(s3.accessKey)}`,
              `    secretkey: ${JSON.stringify(s3.secretKey)}`,
              ...(s3.prefix === "" ? [] : [`    rootdirectory: /${s3.prefix}`]),
          ]
        : [`  filesystem:`, `    rootdirectory: ${REGISTRY_DATA_DIR}`];
    return [
        `version: 0.1`,
        `log:`,
        `  formatter: json`,
        `storage:`,
        ...storage,
        `  delete:`,
        `    enabled: true`,
        `http:`,
        `  addr: :5000`,
        `  secret: ${JSON.stringify(httpSecret)}`,
        `  headers:`,
        `    X-Content-Type-Options: [nosniff]`,
        `auth:`,
        `  htpasswd:`,
        `    realm: lakeforge-registry`,
        `    path: ${REGISTRY_HTPASSWD_FILE}`,
        ``,
    ].join("\n");
}

/** The registry's ServiceSpec; pure so it can be tested without a runtime. */
export function registrySpec(
    name: string,
    image: string,
    resources: Resources,
    config: pulumi.Input<string>,
    htpasswd: pulumi.Input<string>,
    onVolume: boolean,
): ServiceSpec {
    return {
        name,
        image,
        // Path-style addressing, which self-hosted S3 engines need, as a plain env override: it also
        // shows `docker inspect` and the policy pack that layers live in object storage.
        env: { OTEL_TRACES_EXPORTER: "none", ...(onVolume ? {} : { REGISTRY_STORAGE_S3_FORCEPATHSTYLE: "true" }) },
        secretEnv: {},
        files: [
            { path: REGISTRY_CONFIG_FILE, content: config, secret: true },
            { path: REGISTRY_HTPASSWD_FILE, content: htpasswd, secret: true },
        ],
        ports: [{ name: "http", port: 5000, scheme: "http", publishAs: "registry" }],
        volumes: onVolume ? [{ name: "data", path: REGISTRY_DATA_DIR }] : [],
        // The image declares its data directory a volume; with S3 storage it stays empty.
        scratchPaths: onVolume ? [] : [REGISTRY_DATA_DIR],
        healthCheck: {
            // With htpasswd auth /v2/ answers 401 to an anonymous client: that is the healthy answer.
            command: ["sh", "-c", "wget -S --spider http://127.0.0.1:5000/v2/ 2>&1 | grep -q 'HTTP/1.1 401'"],
            intervalSeconds: 5,
            timeoutSeconds: 5,
            retries: 12,
            startPeriodSeconds: 3,
        },
        resources,
        capabilities: [],
        readOnlyRootFilesystem: true,
    };
}

/** A private container registry with htpasswd auth and a generated password. */
export class Registry extends pulumi.ComponentResource {
    public readonly endpoint: Endpoint;
    /** `host:port` to tag and push images with, from the machine running Pulumi. */
    public readonly host: pulumi.Output<string>;
    public readonly username: string;
    /** The registry password (secret). */
    public readonly password: pulumi.Output<string>;

    constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakeforge:registry:Registry", name, {}, opts);
        this.username = args.username ?? REGISTRY_DEFAULTS.username;
        const storage = args.storage ?? { kind: "volume" };
        const password = new random.RandomPassword(`${name}-password`, { length: 32, special: false }, { parent: this });
        const httpSecret = new random.RandomPassword(`${name}-http-secret`, { length: 32, special: false }, { parent: this });
        const htpasswd = pulumi.secret(pulumi.interpolate`${this.username}:${password.bcryptHash}\n`);

        const s3 =
            storage.kind === "s3"
                ? pulumi
                      .all([storage.access.credentials.accessKeyId, storage.access.credentials.secretAccessKey])
                      .apply(([accessKey, secretKey]) => ({
                          region: storage.access.region,
                          endpointUrl: storage.access.internalUrl,
                          bucket: storage.access.location.bucket,
                          prefix: storage.access.location.prefix,
                          accessKey,
                          secretKey,
                      }))
                : undefined;
        const config = pulumi.secret(pulumi.all([httpSecret.result, s3]).apply(([secret, target]) => renderRegistryConfig(secret, target)));
        const spec = registrySpec(
            name,
            args.image ?? REGISTRY_DEFAULTS.image,
            args.resources ?? REGISTRY_DEFAULTS.resources,
            config,
            htpasswd,
            storage.kind === "volume",
        );
        const service = args.runtime.deploy(spec, this);
        this.endpoint = service.endpoint("http");
        this.host = pulumi.interpolate`${this.endpoint.external.host}:${this.endpoint.external.port}`;
        this.password = pulumi.secret(password.result);
        this.registerOutputs({ endpoint: this.endpoint, host: this.host, password: this.password });
    }
}
