/** Queries over a mocked plan (see lib/plan.ts). */
import { strict as assert } from "node:assert";
import type { Plan, PlannedResource } from "../../tools/plan.js";
import { STEP_TYPE } from "../../lib/step-contract.js";
import { stepArgv } from "../../lib/step-verbs.js";

export function find(plan: Plan, type: string, name: string): PlannedResource {
    const found = plan.resources.filter((r) => r.type === type && r.name === name);
    assert.equal(found.length, 1, `expected one ${type} named ${name}, found ${found.length}`);
    return found[0];
}

/** The step resource named `name`. */
export function step(plan: Plan, name: string): PlannedResource {
    return find(plan, STEP_TYPE, name);
}

/** The arguments a step runs on create (or delete, or observe), verb first: its request, as the provider writes it. */
export function stepArgs(resource: PlannedResource, verb: "create" | "delete" | "observe" = "create"): string[] {
    const request = resource.inputs[verb] as { verb: string; flags: Record<string, unknown> };
    return stepArgv({ step: String(resource.inputs.step), ...request });
}

export function flag(resource: PlannedResource, name: string): string | undefined {
    const args = stepArgs(resource);
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
}

/** Whether `from` waits for `to`, directly or through other resources. */
export function dependsOn(plan: Plan, from: PlannedResource, to: PlannedResource): boolean {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const seen = new Set<string>();
    const stack = [...from.dependencies];
    while (stack.length) {
        const urn = stack.pop()!;
        if (urn === to.urn) return true;
        if (seen.has(urn)) continue;
        seen.add(urn);
        stack.push(...(byUrn.get(urn)?.dependencies ?? []));
    }
    return false;
}

export function assertUniqueUrns(plan: Plan): void {
    const urns = plan.resources.map((r) => r.urn);
    const dupes = urns.filter((u, i) => urns.indexOf(u) !== i);
    assert.deepEqual(dupes, [], "no URN may be registered twice (the mock monitor would silently keep the last)");
}

/** Runs `fn` and returns the error it throws, or fails. */
export async function rejection(fn: () => Promise<unknown>): Promise<Error & { registered?: PlannedResource[] }> {
    try {
        await fn();
    } catch (err) {
        return err as Error & { registered?: PlannedResource[] };
    }
    assert.fail("expected a rejection");
}
