/**
 * The lakeforge policy pack. Loaded by the Pulumi CLI (`--policy-pack policies`) from bin/index.js;
 * constructing the PolicyPack starts the policy server, so nothing else imports this file.
 */
import { PolicyPack } from "@pulumi/policy";
import { rules } from "./rules";
import { toPolicy } from "./lib/rule";

new PolicyPack("lakeforge", {
    description:
        "lakeforge guardrails: exposure, credentials, least privilege, hardening, durability and operability " +
        "of a self-hosted lakehouse on Docker, Kubernetes and Proxmox LXC.",
    policies: rules.map(toPolicy),
});
