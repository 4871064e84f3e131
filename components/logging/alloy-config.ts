import type { LogDelivery } from "../../src/runtime/spec";

/*
 * Grafana Alloy's pipeline, rendered from the runtime's log delivery: every lakeforge service's
 * output, labelled `service` with the service's name, written to Loki. The collector's own output
 * is left out on both targets (its errors about Loki would otherwise feed back into Loki).
 */

export const ALLOY_HTTP_PORT = 12345;
export const ALLOY_CONFIG_FILE = "/etc/alloy/lakeforge.alloy";
export const ALLOY_DATA_DIR = "/var/lib/alloy/data";

/** Where the engine's GELF messages carry the service name (`tag` log option) and the line. */
function pushSource(port: number): string {
    return `loki.source.gelf "platform" {
  listen_address = "0.0.0.0:${port}"
  forward_to     = [loki.process.platform.receiver]
}

loki.process "platform" {
  // The engine's gelf driver sends the service name (its tag) as _tag and the line as short_message.
  stage.json {
    expressions = { service = "_tag", line = "short_message" }
  }
  stage.labels {
    values = { service = "" }
  }
  stage.output {
    source = "line"
  }
  forward_to = [loki.write.loki.receiver]
}
`;
}

/** The namespace's pods, found and tailed through the API server (no host path, no privilege). */
function pullSource(namespace: string, podLabel: string, collector: string): string {
    const label = `__meta_kubernetes_pod_label_${podLabel.replace(/[^a-zA-Z0-9]/g, "_")}`;
    return `discovery.kubernetes "pods" {
  role = "pod"
  namespaces {
    names = [${JSON.stringify(namespace)}]
  }
}

discovery.relabel "pods" {
  targets = discovery.kubernetes.pods.targets
  rule {
    source_labels = [${JSON.stringify(label)}]
    target_label  = "service"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_name"]
    target_label  = "pod"
  }
  rule {
    source_labels = ["service"]
    regex         = ${JSON.stringify(collector)}
    action        = "drop"
  }
}

loki.source.kubernetes "pods" {
  targets    = discovery.relabel.pods.output
  forward_to = [loki.write.loki.receiver]
}
`;
}

/**
 * One console log per service, `<dir>/<service>.log`, as the target writes them: the file's name is
 * the service's. Lines from a terminal end in CR LF; the CR is dropped.
 */
function fileSource(dir: string, collector: string): string {
    return `local.file_match "platform" {
  path_targets = [{"__path__" = ${JSON.stringify(`${dir}/*.log`)}}]
}

discovery.relabel "platform" {
  targets = local.file_match.platform.targets
  rule {
    source_labels = ["__path__"]
    regex         = ${JSON.stringify(`${dir}/(.+)\\.log`)}
    target_label  = "service"
  }
  rule {
    source_labels = ["service"]
    regex         = ${JSON.stringify(collector)}
    action        = "drop"
  }
}

loki.source.file "platform" {
  targets    = discovery.relabel.platform.output
  forward_to = [loki.process.platform.receiver]
}

loki.process "platform" {
  stage.replace {
    expression = "(\\r)$"
    replace    = ""
  }
  stage.label_drop {
    values = ["filename"]
  }
  forward_to = [loki.write.loki.receiver]
}
`;
}

/** What the collector's pipeline needs: how logs arrive, where Loki is, and its own service name. */
export interface AlloyPipeline {
    readonly delivery: LogDelivery;
    /** Loki's push URL in the platform network. */
    readonly pushUrl: string;
    /** The collector's own service name, left out of what it collects. */
    readonly collector: string;
}

/** Alloy's configuration file. */
export function renderAlloyConfig(p: AlloyPipeline): string {
    const d = p.delivery;
    const source =
        d.kind === "push"
            ? pushSource(d.port)
            : d.kind === "pull"
              ? pullSource(d.namespace, d.serviceLabel, p.collector)
              : fileSource(d.dir, p.collector);
    return `// Rendered by lakeforge.
${source}
loki.write "loki" {
  endpoint {
    url = ${JSON.stringify(p.pushUrl)}
  }
}
`;
}
