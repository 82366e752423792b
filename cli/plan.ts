/**
 * `npm run --silent plan -- <stack> [--json] [--set key=value]...`: runs the stack program under Pulumi's mocks — no
 * CLI, no cluster, no engine — and prints what it would register. `--json` prints
 * `{"stack","resources":[{"urn","type","name","parent","dependencies","inputs","custom","provider"}],"outputs"}` with
 * secrets redacted;
 * without it, a tree for reading in reviews. `--set` overrides a `kubernaut-e2e:` config value for this plan.
 */
import { pathToFileURL } from "node:url";
import { type Plan, type PlannedResource } from "../tools/plan.js";
import { planStack } from "../tools/plan-stack.js";
import { main, parseCommandLine, UsageError, type StepIO } from "../lib/step-cli.js";

export function planJson(plan: Plan): string {
    return JSON.stringify({
        stack: plan.stack,
        resources: plan.resources.map(({ urn, type, name, parent, dependencies, inputs, custom, provider }) => ({ urn, type, name, parent, dependencies, inputs, custom, provider })),
        outputs: plan.outputs,
    });
}

/** One line per resource, children indented under their parent, with the Kubernetes name and direct dependencies. */
export function planTree(plan: Plan): string {
    const children = new Map<string | null, PlannedResource[]>();
    for (const r of plan.resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const lines: string[] = [];
    const visit = (parent: string | null, depth: number) => {
        for (const r of children.get(parent) ?? []) {
            const k8sName = (r.inputs.metadata as { name?: string } | undefined)?.name;
            const deps = r.dependencies.map((d) => byUrn.get(d)?.name ?? d.split("::").pop()).filter((d) => d !== undefined);
            lines.push(`${"  ".repeat(depth)}${r.type.split(":").pop()} ${r.name}${k8sName && k8sName !== r.name ? ` (${k8sName})` : ""}${deps.length ? `  ← ${deps.join(", ")}` : ""}`);
            visit(r.urn, depth + 1);
        }
    };
    visit(null, 0);
    const outputs = Object.entries(plan.outputs).map(([k, v]) => `  ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
    return `${lines.join("\n")}\n\noutputs:\n${outputs.join("\n")}`;
}

export async function run(argv: readonly string[], io: StepIO): Promise<number> {
    const parsed = parseCommandLine("plan", argv, { json: { type: "boolean" }, set: { type: "string", multiple: true } });
    const [stack, ...extra] = parsed.positionals;
    if (!stack || extra.length) throw new UsageError("usage: npm run --silent plan -- <stack> [--json] [--set key=value]...");
    const overrides: Record<string, string> = {};
    for (const pair of parsed.values.set ?? []) {
        const eq = pair.indexOf("=");
        if (eq <= 0) throw new UsageError(`plan: \`--set\` expects key=value, got \`${pair}\``);
        overrides[`kubernaut-e2e:${pair.slice(0, eq)}`] = pair.slice(eq + 1);
    }
    const plan = await planStack(stack, { configOverrides: overrides });
    io.out(parsed.values.json ? planJson(plan) : planTree(plan));
    return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main("plan", run);
