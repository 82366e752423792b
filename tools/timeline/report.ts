/** A run's timeline as data, as JSON and as a terminal table. */
import { runCriticalPath, type GraphNode } from "./graph.js";
import { nameOf, readSteps, STEP_KINDS, type EngineEvent, type Step, type StepKind } from "./steps.js";

export interface Timeline {
    readonly wallSeconds: number;
    readonly steps: Step[];
    /** Empty without a graph. */
    readonly criticalPath: string[];
    readonly slack: Map<string, number>;
    /** Seconds of step time per kind (summed: parallel steps count each). */
    readonly byKind: Record<StepKind, number>;
}

export function buildTimeline(events: readonly EngineEvent[], graph?: readonly GraphNode[]): Timeline {
    const log = readSteps(events);
    const { path, slack } = graph ? runCriticalPath(log.steps, graph) : { path: [], slack: new Map<string, number>() };
    const byKind = Object.fromEntries(STEP_KINDS.map((k) => [k, 0])) as Record<StepKind, number>;
    const componentTypes = /^pulumi:pulumi:Stack$|^[^:]+:components:/;
    for (const s of log.steps) if (!componentTypes.test(s.type)) byKind[s.kind] += s.seconds;
    return { wallSeconds: log.wallSeconds, steps: log.steps, criticalPath: path, slack, byKind };
}

export function timelineJson(t: Timeline): string {
    return JSON.stringify({
        wallSeconds: t.wallSeconds,
        resources: t.steps.map((s) => ({
            urn: s.urn,
            type: s.type,
            name: s.name,
            op: s.op,
            start: s.start,
            end: s.end,
            seconds: s.seconds,
            status: s.status,
            kind: s.kind,
            parent: s.parent,
            slack: t.slack.get(s.urn) ?? null,
        })),
        criticalPath: t.criticalPath,
        byKind: t.byKind,
    });
}

function pad(text: string | number, width: number, right = false): string {
    const s = String(text);
    return right ? s.padStart(width) : s.padEnd(width);
}

/** Steps in start order with a `*` on the critical path, then seconds per kind and per component. */
export function timelineTable(t: Timeline): string {
    const critical = new Set(t.criticalPath);
    const lines = [
        `wall time ${t.wallSeconds} s, ${t.steps.length} steps${t.criticalPath.length ? `, critical path of ${t.criticalPath.length} steps` : ""}`,
        "",
    ];
    lines.push(
        `${pad("start", 6, true)} ${pad("end", 6, true)} ${pad("secs", 5, true)} ${pad("slack", 5, true)}  ${pad("status", 6)} ${pad("op", 18)} ${pad("kind", 17)} step`,
    );
    for (const s of t.steps) {
        const slack = t.slack.get(s.urn);
        lines.push(
            `${pad(s.start, 6, true)} ${pad(s.end, 6, true)} ${pad(s.seconds, 5, true)} ${pad(slack === undefined ? "" : slack, 5, true)}  ${pad(s.status, 6)} ${pad(s.op, 18)} ${pad(s.kind, 17)} ${critical.has(s.urn) ? "* " : ""}${s.name}`,
        );
    }
    lines.push("", "seconds by kind of step (parallel steps each count):");
    for (const [kind, seconds] of Object.entries(t.byKind)) lines.push(`  ${pad(kind, 18)} ${pad(seconds, 6, true)}`);
    const components = new Map<string, { start: number; end: number }>();
    for (const s of t.steps) {
        if (!s.parent || s.parent.includes("pulumi:pulumi:Stack")) continue;
        const span = components.get(s.parent);
        components.set(
            s.parent,
            span
                ? { start: Math.min(span.start, s.start), end: Math.max(span.end, s.end) }
                : { start: s.start, end: s.end },
        );
    }
    if (components.size) {
        lines.push("", "by component (first child start to last child end):");
        for (const [urn, span] of [...components].sort((a, b) => a[1].start - b[1].start))
            lines.push(
                `  ${pad(nameOf(urn), 28)} ${pad(span.start, 5, true)} → ${pad(span.end, 5, true)}  (${span.end - span.start} s)`,
            );
    }
    return lines.join("\n");
}
