/** Runs every enabled rule over a set of resources: what `lint:stack` and the tests use in place of the engine. */
import type { Enforcement } from "./enforcement.js";
import { RULES, type PolicyResource } from "./rules.js";

export interface Reported {
    readonly rule: string;
    readonly enforcement: Enforcement;
    readonly urn: string;
    readonly message: string;
}

export async function evaluate(
    resources: readonly PolicyResource[],
    levels: ReadonlyMap<string, Enforcement>,
): Promise<Reported[]> {
    const reported: Reported[] = [];
    for (const rule of RULES) {
        const enforcement = levels.get(rule.name) ?? "mandatory";
        if (enforcement === "disabled") continue;
        if (rule.kind === "resource") {
            for (const resource of resources)
                for (const message of rule.check(resource))
                    reported.push({ rule: rule.name, enforcement, urn: resource.urn, message });
        } else {
            for (const v of await rule.check(resources))
                reported.push({ rule: rule.name, enforcement, urn: v.urn ?? "", message: v.message });
        }
    }
    return reported;
}
