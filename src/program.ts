import * as pulumi from "@pulumi/pulumi";
import { deployPlatform } from "../stacks";
import { ConfigError, loadConfig } from "./config";

/** The Pulumi program: validate config before any resource exists, then build the stack. */
function main() {
    try {
        const outputs = deployPlatform(loadConfig());
        return { target: outputs.target, endpoints: outputs.endpoints, clientEnv: outputs.clientEnv, ciAppRole: outputs.ciAppRole };
    } catch (err) {
        // A RunError prints just the message: the config problems, without a stack trace.
        if (err instanceof ConfigError) throw new pulumi.RunError(err.message);
        throw err;
    }
}

export = main();
