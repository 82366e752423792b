/**
 * `npm run --silent lint:stack -- <stack> [--json]`: the policy pack's rules over the stack's mocked plan — no CLI, no
 * cluster. Prints `enforcement rule resource: message` per violation (or `{"violations":[…]}`); exit 1 only when a
 * mandatory rule is violated.
 */
import { pathToFileURL } from "node:url";
import { planStack } from "../tools/plan-stack.js";
import { main, parseCommandLine, UsageError, type StepIO } from "../lib/step-cli.js";
import { readEnforcement } from "../policy/enforcement.js";
import { evaluate } from "../policy/evaluate.js";

export async function run(argv: readonly string[], io: StepIO): Promise<number> {
    const parsed = parseCommandLine("lint:stack", argv, { json: { type: "boolean" } });
    const [stack, ...extra] = parsed.positionals;
    if (!stack || extra.length) throw new UsageError("usage: npm run --silent lint:stack -- <stack> [--json]");
    const levels = readEnforcement();
    const plan = await planStack(stack);
    const violations = await evaluate(plan.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs })), levels);
    if (parsed.values.json) io.out(JSON.stringify({ stack, violations }));
    else for (const v of violations) io.out(`${v.enforcement} ${v.rule} ${v.urn.split("::").pop()}: ${v.message}`);
    return violations.some((v) => v.enforcement === "mandatory") ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main("lint:stack", run);
