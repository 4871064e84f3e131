import type { Rule } from "../lib/rule";
import { DOCKER } from "../lib/types";
import { at, inputsOf, isUnknown } from "../lib/inputs";

/** Docker containers run as a non-root user. */
export const dockerContainerNonRoot: Rule = {
    name: "docker-container-non-root",
    description:
        "Docker containers set `user` to a non-root UID (or name), rather than inheriting the image default, " +
        "which is root for most images.",
    severity: "medium",
    category: "hardening",
    remediationSteps:
        'Set `user` to the image\'s service account, e.g. `"70:70"` for postgres:alpine or `"1000:1000"`, ' +
        "and make the named volume writable by it. Images whose entrypoint must start as root to drop " +
        "privileges (gosu/su-exec) stay advisory on workstations.",
    validateResource: (args, reportViolation) => {
        if (args.type !== DOCKER.container) return;
        const user = at(inputsOf(args), "user");
        if (isUnknown(user)) return;
        if (user === undefined || user === "") {
            reportViolation('user: expected a non-root user (e.g. "1000:1000"), found absent (the image default, usually root).');
            return;
        }
        const name = typeof user === "string" ? (user.split(":")[0] ?? "") : "";
        if (name === "root" || name === "0") {
            reportViolation(`user: expected a non-root user, found "${String(user)}".`);
        }
    },
};
