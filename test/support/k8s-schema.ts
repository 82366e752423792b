/**
 * Validates a rendered Kubernetes object against the Kubernetes OpenAPI schema, through the model class
 * `kubernetes-models` generates for its group, version and kind.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** `kubernetes:apps/v1:Deployment` → the model module path; core objects live under `v1/`. */
export function modelPath(type: string): string | undefined {
    const match = /^kubernetes:([^:]+):([A-Za-z]+)$/.exec(type);
    if (!match) return undefined;
    const [group, version] = match[1].includes("/") ? match[1].split("/") : ["", match[1]];
    return `kubernetes-models/${group === "core" || group === "" ? "" : `${group}/`}${version}/${match[2]}`;
}

/** Throws with the schema's message when `inputs` is not a valid object of `type`; false when no model exists. */
export function validateAgainstSchema(type: string, inputs: Record<string, unknown>): boolean {
    const modulePath = modelPath(type);
    if (!modulePath) return false;
    let Model: new (data: unknown) => { validate(): void };
    try {
        const mod = require(modulePath) as Record<string, unknown>;
        Model = (mod[type.split(":").pop()!] ?? mod.default) as typeof Model;
    } catch {
        return false;
    }
    new Model(inputs).validate();
    return true;
}
