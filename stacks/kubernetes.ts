import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ComponentsConfig } from "../src/components-schema";
import type { PlatformOutputs } from "../src/outputs";
import { dataOptions, KubernetesRuntime } from "../src/runtime/kubernetes";
import { baselinePolicies, PART_OF, podSecurityLabels } from "../src/runtime/kubernetes-network";
import type { KubernetesSettings } from "../src/runtime/kubernetes-settings";
import { composePlatform } from "./platform";

/** The cluster connection: kubeconfig context, or manifests rendered to a directory instead of applied. */
export function kubernetesProvider(settings: KubernetesSettings): k8s.Provider {
    if (settings.renderYamlTo !== undefined) {
        void pulumi.log.warn(
            `lakeforge:kubernetes.renderYamlTo: manifests are written to ${settings.renderYamlTo} instead of applied; ` +
                `Secret manifests in it hold credentials in plain text: encrypt them (SOPS, Sealed Secrets) before committing`,
        );
    }
    return new k8s.Provider("kubernetes", {
        context: settings.context,
        kubeconfig: settings.kubeconfig,
        renderYamlToDirectory: settings.renderYamlTo,
        enableServerSideApply: true,
    });
}

/**
 * The cluster stack: one namespace at the configured Pod Security level, denied all traffic but
 * DNS and the platform's own flows, and every capability realized by the kubernetes runtime.
 */
export function kubernetesStack(settings: KubernetesSettings, components: ComponentsConfig): PlatformOutputs {
    const provider = kubernetesProvider(settings);
    // Deleting a namespace deletes everything in it, claims included.
    const namespace = new k8s.core.v1.Namespace(
        "namespace",
        { metadata: { name: settings.namespace, labels: { ...PART_OF, ...podSecurityLabels(settings.podSecurity) } } },
        { provider, ...dataOptions(settings) },
    );
    for (const policy of baselinePolicies(settings.dns)) {
        new k8s.networking.v1.NetworkPolicy(
            policy.name,
            { metadata: { name: policy.name, namespace: namespace.metadata.name, labels: { ...PART_OF } }, spec: policy.spec },
            { provider },
        );
    }
    const runtime = new KubernetesRuntime({ settings, provider, namespace });
    return composePlatform("kubernetes", runtime, components, { protectData: settings.protect });
}
