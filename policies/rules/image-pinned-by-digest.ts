import type { Rule } from "../lib/rule";
import { inputsOf } from "../lib/inputs";
import { imagesOf, parseImage } from "../lib/images";

/** Images are pinned by content digest, so a re-pushed tag cannot change what runs. */
export const imagePinnedByDigest: Rule = {
    name: "image-pinned-by-digest",
    description:
        "Container images carry a `@sha256:` digest (or are a docker image ID), so a re-pushed tag cannot " +
        "change what runs. Advisory on workstations, mandatory in prod.",
    severity: "medium",
    category: "provenance",
    remediationSteps:
        "Append the image's digest to its reference: `docker buildx imagetools inspect <image>` (or " +
        "`crane digest <image>`) prints it; set the image to `<name>:<tag>@sha256:<digest>`. A docker container " +
        "may use the `imageId` of a `docker.RemoteImage` instead.",
    validateResource: (args, reportViolation) => {
        for (const { field, image } of imagesOf(args.type, inputsOf(args))) {
            if (parseImage(image).digest !== undefined) continue;
            reportViolation(`${field}: expected an image pinned by digest ("<name>:<tag>@sha256:<digest>"), found "${image}".`);
        }
    },
};
