import { DOCKER, K8S } from "./types";
import { at, fieldPath, isRecord, list, str, UNKNOWN, type Props } from "./inputs";
import { isReference, isSecretName } from "./secrets";

/** A rendered config file a resource carries, with the field that holds it. */
export interface ConfigFile {
    readonly field: string;
    readonly text: string;
}

/** Known config file contents: ConfigMap `data` values and docker container `uploads`. */
export function configFilesOf(type: string, props: Props): ConfigFile[] {
    const files: ConfigFile[] = [];
    if (type === K8S.configMap) {
        const data = at(props, "data");
        if (isRecord(data)) {
            for (const [key, value] of Object.entries(data)) {
                const text = str(value);
                if (text !== undefined) files.push({ field: fieldPath("data", key), text });
            }
        }
    }
    if (type === DOCKER.container) {
        const uploads = list(props["uploads"]);
        if (uploads !== UNKNOWN) {
            uploads.forEach((upload, i) => {
                const text = str(at(upload, "content"));
                const base64 = str(at(upload, "contentBase64"));
                if (text !== undefined) files.push({ field: fieldPath("uploads", i, "content"), text });
                else if (base64 !== undefined) {
                    files.push({ field: fieldPath("uploads", i, "contentBase64"), text: Buffer.from(base64, "base64").toString("utf8") });
                }
            });
        }
    }
    return files;
}

/** `key = value`, `key: value` (properties, env files, YAML) and Hadoop XML `<name>/<value>` pairs. */
const ASSIGNMENT = /^\s*([A-Za-z0-9_.\-]+)\s*[=:]\s*(.*?)\s*$/;
const XML_PROPERTY = /<name>\s*([^<]+?)\s*<\/name>\s*<value>\s*([^<]*?)\s*<\/value>/g;

/** Credential-looking keys assigned a literal value in a config file, with 1-based line numbers. */
export function literalCredentials(text: string): { line: number; key: string }[] {
    const found: { line: number; key: string }[] = [];
    text.split("\n").forEach((line, i) => {
        const match = ASSIGNMENT.exec(line);
        if (match?.[1] !== undefined && isSecretName(match[1]) && !isReference(match[2] ?? "")) {
            found.push({ line: i + 1, key: match[1] });
        }
    });
    for (const match of text.matchAll(XML_PROPERTY)) {
        const [, key = "", value = ""] = match;
        if (isSecretName(key) && !isReference(value)) {
            found.push({ line: text.slice(0, match.index).split("\n").length, key });
        }
    }
    return found;
}

/** pg_hba.conf records that authenticate with `trust`, as 1-based line numbers. */
export function trustHbaLines(text: string): number[] {
    return text
        .split("\n")
        .flatMap((line, i) => (/^\s*(local|host|hostssl|hostnossl|hostgssenc|hostnogssenc)\s.*\strust\s*$/.test(line) ? [i + 1] : []));
}
