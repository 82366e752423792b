/**
 * `npm run --silent plan -- <stack> [--json] [--images] [--set key=value]...`: runs the stack program under Pulumi's
 * mocks — no CLI, no cluster, no engine — and prints what it would register. `--json` prints
 * `{"stack","resources":[{"urn","type","name","parent","dependencies","inputs","custom","provider"}],"outputs"}` with
 * secrets redacted; `--images` prints each image the stack builds with the ref it will have; without either, a tree
 * for reading in reviews, 120 columns wide.
 */
import { z } from "zod";
import { command, isMain, main } from "../lib/command-line.js";
import { STEP_TYPE } from "../lib/step-contract.js";
import { requestFlags } from "../lib/step-verbs.js";
import { configOverrides, configReport, planWithOverrides, SET_FLAG, type ConfigEntry } from "../tools/plan-stack.js";
import { type Plan, type PlannedResource } from "../tools/plan.js";

const WIDTH = 120;

export function planJson(plan: Plan, config: readonly ConfigEntry[] = []): string {
    return JSON.stringify({
        stack: plan.stack,
        config,
        resources: plan.resources.map(({ urn, type, name, parent, dependencies, inputs, custom, provider }) => ({
            urn,
            type,
            name,
            parent,
            dependencies,
            inputs,
            custom,
            provider,
        })),
        outputs: plan.outputs,
    });
}

/**
 * A resource's direct dependencies by name, where every resource of a component stands for the component: an object
 * that waits for all 11 CRDs reads `← crds`, not eleven names.
 */
export function dependencyNames(plan: Plan, resource: PlannedResource): string[] {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const customDescendants = new Map<string, Set<string>>();
    for (const r of plan.resources) {
        if (!r.custom) continue;
        for (let parent = r.parent; parent; parent = byUrn.get(parent)?.parent ?? null) {
            if (!customDescendants.has(parent)) customDescendants.set(parent, new Set());
            customDescendants.get(parent)!.add(r.urn);
        }
    }
    let remaining = new Set(resource.dependencies);
    const names: string[] = [];
    // Largest components first, and never the resource's own ancestors.
    const ancestors = new Set<string>();
    for (let p = resource.parent; p; p = byUrn.get(p)?.parent ?? null) ancestors.add(p);
    const candidates = [...customDescendants.entries()]
        .filter(([urn, set]) => set.size > 1 && !ancestors.has(urn) && byUrn.get(urn)?.type !== "pulumi:pulumi:Stack")
        .sort((a, b) => b[1].size - a[1].size);
    for (const [urn, members] of candidates) {
        if ([...members].every((m) => remaining.has(m))) {
            names.push(byUrn.get(urn)!.name);
            remaining = new Set([...remaining].filter((m) => !members.has(m)));
        }
    }
    for (const urn of remaining) names.push(byUrn.get(urn)?.name ?? urn.split("::").pop() ?? urn);
    return names;
}

/** `head  ← a, b, c`, continued on indented lines so no line passes {@link WIDTH} columns. */
function wrap(head: string, deps: readonly string[], indent: string): string[] {
    if (!deps.length) return [head];
    const continuation = `${indent}    `;
    const lines = [...head].length + 3 > WIDTH ? [head, `${continuation}←`] : [`${head}  ←`];
    for (const dep of deps) {
        const last = lines[lines.length - 1];
        const first = last.endsWith("←") || last === continuation;
        // Room for the comma that may follow: every line but the last ends with one.
        if (last.length + (first ? 1 : 2) + dep.length + 1 <= WIDTH)
            lines[lines.length - 1] = `${last}${last.endsWith("←") ? " " : first ? "" : ", "}${dep}`;
        else {
            if (!first) lines[lines.length - 1] = `${last},`;
            lines.push(`${continuation}${dep}`);
        }
    }
    return lines.filter((l) => l !== continuation);
}

/** One line per resource (more when its edges do not fit), children indented under their parent, in program order. */
export function planTree(plan: Plan): string {
    const children = new Map<string | null, PlannedResource[]>();
    for (const r of plan.resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    const lines: string[] = [];
    const visit = (parent: string | null, depth: number) => {
        for (const r of children.get(parent) ?? []) {
            const indent = "  ".repeat(depth);
            const k8sName = (r.inputs.metadata as { name?: string } | undefined)?.name;
            // The Kubernetes name, unless the resource's name already says it.
            const shown = k8sName && k8sName !== r.name && !r.name.endsWith(`-${k8sName}`) ? ` (${k8sName})` : "";
            lines.push(
                ...wrap(`${indent}${r.type.split(":").pop()} ${r.name}${shown}`, dependencyNames(plan, r), indent),
            );
            visit(r.urn, depth + 1);
        }
    };
    visit(null, 0);
    const outputs = Object.entries(plan.outputs).flatMap(([k, v]) =>
        v && typeof v === "object" && !Array.isArray(v)
            ? [
                  `  ${k}:`,
                  ...Object.entries(v as Record<string, unknown>).map(
                      ([kk, vv]) => `    ${kk}: ${typeof vv === "string" ? vv : JSON.stringify(vv)}`,
                  ),
              ]
            : [`  ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`],
    );
    return `${lines.join("\n")}\n\noutputs:\n${outputs.join("\n")}`;
}

/** The stack's config, one value a line with where it came from: its config, the toolchain, or a built-in default. */
export function configLines(entries: readonly ConfigEntry[]): string {
    const shown = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
    const width = Math.max(0, ...entries.map((e) => e.key.length));
    const line = (e: ConfigEntry) => {
        const head = `  ${e.key.padEnd(width)}  `;
        const tail = `  (${e.source})`;
        const value = shown(e.value);
        const room = WIDTH - head.length - tail.length;
        return `${head}${value.length > room ? `${value.slice(0, room - 1)}…` : value}${tail}`;
    };
    return `config:\n${entries.map(line).join("\n")}`;
}

/** Every image the stack builds, with its ref (what `image fingerprint` alone cannot know: the stack's build args). */
export function planImages(plan: Plan): string {
    return plan.resources
        .flatMap((r) => {
            const build = r.type === STEP_TYPE ? requestFlags(r.inputs, "image", "build") : undefined;
            if (!build) return [];
            const ref = (r.inputs.triggers as string[])[0];
            const args = Object.entries(build["build-arg"] ?? {}).map(([k, v]) => `${k}=${v}`);
            return [`${ref}  ${build.dockerfile}${args.length ? `  ${args.join(" ")}` : ""}`];
        })
        .join("\n");
}

export const run = command("plan", {
    description: "the stack's program under Pulumi's mocks: every resource it would register, with its edges",
    positionals: [{ name: "stack", description: "stack name, e.g. signalprocessing-e2e" }],
    flags: {
        json: { type: "boolean", description: "print the plan as JSON (secrets redacted)" },
        images: { type: "boolean", description: "print the images the stack builds, with their refs" },
        ...SET_FLAG,
    },
    schema: z.object({
        _: z.tuple([z.string()]),
        json: z.boolean().optional(),
        images: z.boolean().optional(),
        set: z.array(z.string()).optional(),
    }),
    async run(values, io) {
        const plan = await planWithOverrides("plan", values._[0], values.set);
        const config = configReport(values._[0], configOverrides("plan", values.set), io.env);
        io.out(
            values.json
                ? planJson(plan, config)
                : values.images
                  ? planImages(plan)
                  : `${configLines(config)}\n\n${planTree(plan)}`,
        );
        return 0;
    },
});

if (isMain(import.meta.url)) await main("plan", run);
