import type { Rule } from "../lib/rule";
import { inputsOf } from "../lib/inputs";
import { imagesOf, parseImage } from "../lib/images";

/** Tags that move: a stack pinned to one of these deploys different software on every pull. */
const FLOATING_TAGS = ["latest", "stable", "edge", "nightly", "main", "master", "dev", "lts", "current"];

/** Images are pinned to a version tag (or a digest), never `latest` or no tag at all. */
export const imageTagPinned: Rule = {
    name: "image-tag-pinned",
    description:
        "Container images (docker containers and remote images, Kubernetes pod templates, lakeforge's proxmox containers) name a version tag " +
        "or a digest, so every deploy runs the software that was reviewed.",
    severity: "high",
    category: "supply-chain",
    remediationSteps:
        "Set the image to a released version tag, e.g. `postgres:16.4-alpine`, or pin it by digest " +
        "(`postgres:16.4-alpine@sha256:...`). For a lakeforge component, set `lakeforge:components.<name>.image` " +
        "to a pinned reference or remove the override to use the pinned default.",
    validateResource: (args, reportViolation) => {
        for (const { field, image } of imagesOf(args.type, inputsOf(args))) {
            const ref = parseImage(image);
            if (ref.digest !== undefined) continue;
            if (ref.tag === undefined) {
                reportViolation(
                    `${field}: expected an image pinned to a version tag (e.g. "postgres:16.4-alpine"), ` +
                        `found "${image}" with no tag, which resolves to "latest".`,
                );
            } else if (FLOATING_TAGS.includes(ref.tag.toLowerCase())) {
                reportViolation(`${field}: expected an image pinned to a version tag, found the floating tag "${ref.tag}" in "${image}".`);
            }
        }
    },
};
