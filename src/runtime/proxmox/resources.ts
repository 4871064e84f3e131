import * as pulumi from "@pulumi/pulumi";
import type { ConsoleLogsInputs } from "./console-log-impl";
import type * as consoleLogImpl from "./console-log-impl";
import type { ContainerInputs, ContainerOutputs } from "./container-impl";
import type * as containerImpl from "./container-impl";
import type * as diffImpl from "./diff";
import type { FilesInputs, ReadyInputs } from "./guest-impl";
import type * as guestImpl from "./guest-impl";
import type { ImageConfig } from "./mapping";
import type { TemplateInputs, VolumeInputs } from "./storage-impl";
import type * as storageImpl from "./storage-impl";
import type { DynamicInputs } from "../../types";

/*
 * The proxmox runtime's dynamic resources. Pulumi serializes each provider with what its functions
 * close over; these close over one directory name and load the implementation modules from it when
 * the engine runs them, so what is serialized stays small and the implementation is ordinary code.
 */

/** Directory of the compiled implementation modules. */
const IMPL_DIR = __dirname;

type Impl = typeof storageImpl & typeof containerImpl & typeof guestImpl & typeof diffImpl & typeof consoleLogImpl;

/** The implementation modules, loaded inside the engine. */
function impl(): Impl {
    /* eslint-disable @typescript-eslint/no-require-imports */
    return {
        ...(require(`${IMPL_DIR}/storage-impl`) as typeof storageImpl),
        ...(require(`${IMPL_DIR}/container-impl`) as typeof containerImpl),
        ...(require(`${IMPL_DIR}/guest-impl`) as typeof guestImpl),
        ...(require(`${IMPL_DIR}/diff`) as typeof diffImpl),
        ...(require(`${IMPL_DIR}/console-log-impl`) as typeof consoleLogImpl),
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
}

const templateProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: TemplateInputs) {
        const outs = await impl().createTemplate(inputs);
        return { id: outs.volid, outs };
    },
    diff: async (_id: string, olds: TemplateInputs, news: TemplateInputs) => impl().diffTemplate(olds, news),
    update: async (_id: string, olds: TemplateInputs & { volid: string; imageConfig?: ImageConfig }, news: TemplateInputs) => ({
        outs: { ...news, volid: olds.volid, imageConfig: olds.imageConfig },
    }),
    // Kept: templates are shared by stacks and cost only disk; `pveam remove` frees one.
    delete: async () => undefined,
};

/** An OCI image as a container template on the node. */
export class OciTemplate extends pulumi.dynamic.Resource {
    declare public readonly volid: pulumi.Output<string>;
    declare public readonly imageConfig: pulumi.Output<ImageConfig | undefined>;

    constructor(name: string, args: DynamicInputs<TemplateInputs>, opts?: pulumi.CustomResourceOptions) {
        super(
            templateProvider,
            name,
            { ...args, volid: undefined, imageConfig: undefined },
            { ...opts, additionalSecretOutputs: ["apiToken"] },
            "lakeforge",
            "ProxmoxOciTemplate",
        );
    }
}

const volumeProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: VolumeInputs) {
        const outs = await impl().createVolume(inputs);
        return { id: outs.volid, outs };
    },
    diff: async (_id: string, olds: VolumeInputs, news: VolumeInputs) => impl().diffVolume(olds, news),
    update: async (_id: string, olds: VolumeInputs & { volid: string }, news: VolumeInputs) => ({ outs: { ...news, volid: olds.volid } }),
    // Data is never deleted by Pulumi: the volume stays on the storage, owned by the holder vmid.
    delete: async () => undefined,
};

/** A data volume owned by the stack's holder vmid. */
export class DataVolume extends pulumi.dynamic.Resource {
    declare public readonly volid: pulumi.Output<string>;

    constructor(name: string, args: DynamicInputs<VolumeInputs>, opts?: pulumi.CustomResourceOptions) {
        super(
            volumeProvider,
            name,
            { ...args, volid: undefined },
            { ...opts, additionalSecretOutputs: ["apiToken"] },
            "lakeforge",
            "ProxmoxVolume",
        );
    }
}

const containerProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: ContainerInputs) {
        const outs = await impl().createContainer(inputs);
        return { id: String(outs.vmid), outs };
    },
    diff: async (_id: string, olds: ContainerInputs, news: ContainerInputs) => impl().diffContainer(olds, news),
    update: async (_id: string, olds: ContainerOutputs, news: ContainerInputs) => ({ outs: await impl().updateContainer(olds, news) }),
    delete: async (_id: string, olds: ContainerOutputs) => impl().deleteContainer(olds),
};

/** An unprivileged LXC container from an OCI template, started behind the lakeforge gate. */
export class LxcContainer extends pulumi.dynamic.Resource {
    declare public readonly instance: pulumi.Output<string>;
    declare public readonly imageConfig: pulumi.Output<ImageConfig>;

    constructor(name: string, args: DynamicInputs<ContainerInputs>, opts?: pulumi.CustomResourceOptions) {
        super(
            containerProvider,
            name,
            { ...args, instance: undefined },
            { ...opts, additionalSecretOutputs: ["apiToken"] },
            "lakeforge",
            "ProxmoxContainer",
        );
    }
}

const filesProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: FilesInputs) {
        await impl().pushFiles(inputs);
        return { id: `${inputs.vmid}-files`, outs: inputs };
    },
    diff: async (_id: string, olds: FilesInputs, news: FilesInputs) => impl().diffFiles(olds, news),
    async update(_id: string, olds: FilesInputs, news: FilesInputs) {
        await impl().updateFiles(olds, news);
        return { outs: news };
    },
    // The files go with the container.
    delete: async () => undefined,
};

/** A container's files and secrets, pushed over node SSH; a change restarts the container. */
export class ContainerFiles extends pulumi.dynamic.Resource {
    declare public readonly hash: pulumi.Output<string>;

    constructor(name: string, args: DynamicInputs<FilesInputs>, opts?: pulumi.CustomResourceOptions) {
        super(
            filesProvider,
            name,
            args,
            { ...opts, additionalSecretOutputs: ["apiToken", "sshKey", "files"] },
            "lakeforge",
            "ProxmoxFiles",
        );
    }
}

const readyProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: ReadyInputs) {
        await impl().waitReady(inputs);
        return { id: `${inputs.vmid}-ready`, outs: inputs };
    },
    diff: async (_id: string, olds: ReadyInputs, news: ReadyInputs) => impl().diffReady(olds, news),
    async update(_id: string, _olds: ReadyInputs, news: ReadyInputs) {
        await impl().waitReady(news);
        return { outs: news };
    },
    delete: async () => undefined,
};

/** Passes once the service's health check passes inside its container; dependents wait for it. */
export class ServiceReady extends pulumi.dynamic.Resource {
    constructor(name: string, args: DynamicInputs<ReadyInputs>, opts?: pulumi.CustomResourceOptions) {
        super(readyProvider, name, args, { ...opts, additionalSecretOutputs: ["sshKey"] }, "lakeforge", "ProxmoxReady");
    }
}

const consoleLogsProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: ConsoleLogsInputs) {
        await impl().prepareLogDir(inputs);
        return { id: inputs.dir, outs: inputs };
    },
    diff: async (_id: string, olds: ConsoleLogsInputs, news: ConsoleLogsInputs) => impl().diffConsoleLogs(olds, news),
    async update(_id: string, _olds: ConsoleLogsInputs, news: ConsoleLogsInputs) {
        await impl().prepareLogDir(news);
        return { outs: news };
    },
    delete: async (_id: string, olds: ConsoleLogsInputs) => impl().removeLogDir(olds),
};

/** The stack's console log directory on the node, owned by the collector, with its logrotate rule. */
export class ConsoleLogs extends pulumi.dynamic.Resource {
    constructor(name: string, args: DynamicInputs<ConsoleLogsInputs>, opts?: pulumi.CustomResourceOptions) {
        super(consoleLogsProvider, name, args, { ...opts, additionalSecretOutputs: ["sshKey"] }, "lakeforge", "ProxmoxConsoleLogs");
    }
}
