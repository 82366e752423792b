/** The rules of `rules.ts` as @pulumi/policy policies, with their enforcement levels. */
import type { Policies, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import type { Enforcement } from "./enforcement.js";
import { RULES, type PolicyResource } from "./rules.js";

function asResource(args: ResourceValidationArgs | StackValidationArgs["resources"][number]): PolicyResource {
    return { type: args.type, name: args.name, urn: args.urn, props: args.props };
}

export function policies(levels: ReadonlyMap<string, Enforcement>): Policies {
    return RULES.map((rule) =>
        rule.kind === "resource"
            ? {
                  name: rule.name,
                  description: rule.description,
                  enforcementLevel: levels.get(rule.name),
                  validateResource: (args: ResourceValidationArgs, report: (message: string) => void) =>
                      rule.check(asResource(args)).forEach((m) => report(m)),
              }
            : {
                  name: rule.name,
                  description: rule.description,
                  enforcementLevel: levels.get(rule.name),
                  validateStack: async (args: StackValidationArgs, report: (message: string, urn?: string) => void) =>
                      (await rule.check(args.resources.map(asResource))).forEach((v) => report(v.message, v.urn)),
              },
    );
}
