/**
 * `npm run --silent lint:stack -- <stack> [--json]`: the policy pack's rules over the stack's mocked plan — no CLI, no
 * cluster. Prints `enforcement rule resource: message` per violation (or `{"violations":[…]}`); exit 1 only when a
 * mandatory rule is violated.
 */
import { planStack } from "../tools/plan-stack.js";
import { z } from "zod";
import { command, isMain, main } from "../lib/command-line.js";
import { readEnforcement } from "../policy/enforcement.js";
import { evaluate } from "../policy/evaluate.js";

export const run = command("lint:stack", {
    description: "the policy pack's rules over the stack's mocked plan; exit 1 only on a mandatory violation",
    positionals: [{ name: "stack", description: "stack name" }],
    flags: { json: { type: "boolean", description: "print the violations as JSON" } },
    schema: z.object({ _: z.tuple([z.string()]), json: z.boolean().optional() }),
    async run(values, io) {
        const [stack] = values._;
        const levels = readEnforcement();
        const plan = await planStack(stack);
        const violations = await evaluate(
            plan.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs })),
            levels,
        );
        if (values.json) io.out(JSON.stringify({ stack, violations }));
        else for (const v of violations) io.out(`${v.enforcement} ${v.rule} ${v.urn.split("::").pop()}: ${v.message}`);
        return violations.some((v) => v.enforcement === "mandatory") ? 1 : 0;
    },
});

if (isMain(import.meta.url)) await main("lint:stack", run);
