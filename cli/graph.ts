/**
 * `npm run --silent graph -- <stack> [--svg FILE [--detail]] [--durations FILE] [--json] [--set key=value]...`: the
 * stack's resource graph from its
 * plan (no cluster, no CLI): the waves the engine can run at once, an estimated critical path, and the same durations
 * scheduled the way Kubernaut's seeds did (four barriers), so the gain of removing barriers is a number.
 *
 * The picture shows components (each with its estimated time span); `--detail` draws every step instead.
 * Durations default to the seeds' measured SignalProcessing profile; `--durations` takes a previous `timeline --json`
 * (measured seconds per step name) or a `{ "<name or kind>": seconds }` table.
 */
import * as fs from "node:fs";
import { planWithOverrides, SET_FLAG } from "../tools/plan-stack.js";
import { z } from "zod";
import { command, isMain, main } from "../lib/command-line.js";
import { DEFAULT_DURATIONS, readGraph, realDependencies, schedule, type GraphNode } from "../tools/timeline/graph.js";
import { nameOf } from "../tools/timeline/steps.js";
import { componentGraphSvg, graphSvg } from "../tools/timeline/svg.js";

/** Durations from a `timeline --json` report (per step name) or a plain table, over the defaults. */
export function readDurations(json: unknown): Record<string, number> {
    const doc = json as { resources?: { name: string; seconds: number; op: string }[] } & Record<string, unknown>;
    if (Array.isArray(doc.resources)) {
        const measured: Record<string, number> = {};
        for (const r of doc.resources)
            if (r.op !== "same" && typeof r.seconds === "number")
                measured[r.name] = Math.max(measured[r.name] ?? 0, r.seconds);
        return { ...DEFAULT_DURATIONS, ...measured };
    }
    for (const [key, value] of Object.entries(doc))
        if (typeof value !== "number") throw new Error(`durations: \`${key}\` must be a number of seconds`);
    return { ...DEFAULT_DURATIONS, ...(doc as Record<string, number>) };
}

export interface GraphReport {
    readonly graphSeconds: number;
    readonly barrierSeconds: number;
    readonly waves: string[][];
    readonly criticalPath: string[];
}

export function graphReport(nodes: readonly GraphNode[], durations: Readonly<Record<string, number>>): GraphReport {
    const graph = schedule(nodes, durations, false);
    const barriers = schedule(nodes, durations, true);
    return {
        graphSeconds: graph.totalSeconds,
        barrierSeconds: barriers.totalSeconds,
        waves: graph.waves,
        criticalPath: graph.criticalPath,
    };
}

function round(n: number): number {
    return Math.round(n * 10) / 10;
}

export function graphText(stack: string, report: GraphReport): string {
    const lines = [`${stack}: ${report.waves.flat().length} steps in ${report.waves.length} waves`, ""];
    report.waves.forEach((wave, i) => lines.push(`wave ${i}: ${wave.map(nameOf).sort().join(", ")}`));
    lines.push(
        "",
        `estimated critical path (${round(report.graphSeconds)} s): ${report.criticalPath.map(nameOf).join(" → ")}`,
    );
    const gain = report.barrierSeconds - report.graphSeconds;
    lines.push(
        "",
        `as a graph (this project):            ${round(report.graphSeconds)} s`,
        `with the seeds' four barriers:        ${round(report.barrierSeconds)} s`,
        `removing the barriers saves:          ${round(gain)} s (${report.barrierSeconds > 0 ? round((gain / report.barrierSeconds) * 100) : 0} %)`,
    );
    return lines.join("\n");
}

export const run = command("graph", {
    description:
        "the stack's graph without a cluster: waves, estimated critical path, and the same durations with the seeds' four barriers",
    positionals: [{ name: "stack", description: "stack name" }],
    flags: {
        svg: { type: "string", value: "FILE", description: "draw the graph (components, or every step with --detail)" },
        detail: { type: "boolean", description: "draw every step, not components" },
        durations: {
            type: "string",
            value: "FILE",
            description: "measured durations: a `timeline --json` report (default: the seeds' profile)",
        },
        json: { type: "boolean", description: "print the report as JSON" },
        ...SET_FLAG,
    },
    schema: z.object({
        _: z.tuple([z.string()]),
        svg: z.string().optional(),
        detail: z.boolean().optional(),
        durations: z.string().optional(),
        json: z.boolean().optional(),
        set: z.array(z.string()).optional(),
    }),
    async run(values, io) {
        const [stack] = values._;
        const durations = values.durations
            ? readDurations(JSON.parse(fs.readFileSync(values.durations, "utf8")))
            : { ...DEFAULT_DURATIONS };
        const plan = await planWithOverrides("graph", stack, values.set);
        const nodes = readGraph({ resources: plan.resources });
        const report = graphReport(nodes, durations);
        if (values.svg) {
            const estimate = schedule(nodes, durations, false);
            const title = `${stack}: estimated ${round(report.graphSeconds)} s as a graph, ${round(report.barrierSeconds)} s with the seeds' four barriers`;
            const draw = values.detail ? graphSvg : componentGraphSvg;
            fs.writeFileSync(values.svg, draw(nodes, realDependencies(nodes), estimate, title));
        }
        io.out(values.json ? JSON.stringify({ stack, ...report, waves: report.waves }) : graphText(stack, report));
        return 0;
    },
});

if (isMain(import.meta.url)) await main("graph", run);
