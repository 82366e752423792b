/**
 * The policy pack: `pulumi preview --policy-pack policy` (any backend, no Pulumi Cloud). Loading this module starts
 * the analyzer, so everything testable lives in `policies.ts`.
 */
import { PolicyPack } from "@pulumi/policy";
import { readEnforcement } from "./enforcement.js";
import { policies } from "./policies.js";

export const pack = new PolicyPack("kubernaut-e2e", { policies: policies(readEnforcement()) });
