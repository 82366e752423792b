/**
 * Pictures of a stack's time: a Gantt chart of a run (one bar per step) and the dependency graph before a run.
 * Axis ticks come from d3-scale and the graph layout from dagre; the SVG itself is written here.
 */
// The package names a types file it does not ship; tsconfig.json maps it to the one it does (dist/dagre.d.ts).
import * as dagre from "@dagrejs/dagre";
import { scaleLinear } from "d3-scale";
import type { GraphNode, Schedule } from "./graph.js";
import { kindOf, nameOf, STEP_KINDS, type Step, type StepKind } from "./steps.js";

export const KIND_COLOURS: Readonly<Record<StepKind, string>> = {
    "image build": "#4e79a7",
    cluster: "#f28e2b",
    "image load": "#59a14f",
    "kubernetes object": "#76b7b2",
    other: "#bab0ac",
};

export function escapeXml(text: string): string {
    return text.replace(
        /[&<>"']/g,
        (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!,
    );
}

const FONT = `font-family="DejaVu Sans, Helvetica, Arial, sans-serif"`;

function legend(x: number, y: number, extra: string[]): string {
    const items = STEP_KINDS.map(
        (kind, i) =>
            `<rect x="${x + i * 150}" y="${y}" width="12" height="12" fill="${KIND_COLOURS[kind]}"/><text x="${x + i * 150 + 18}" y="${y + 10}" font-size="12">${kind}</text>`,
    );
    return [...items, ...extra].join("\n");
}

const ARROW = `<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#666"/></marker>`;
const CRITICAL_KEY = (label: string) =>
    `<rect x="760" y="34" width="12" height="12" fill="#fff" stroke="#000" stroke-width="2"/><text x="778" y="44" font-size="12">${label}</text>`;

/** The frame every picture shares: white page, title, legend of kinds (plus `legendExtra`), then `body`. */
function svgDocument(
    width: number,
    height: number,
    title: string,
    defs: string,
    legendExtra: string[],
    body: string[],
): string {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width.toFixed(0)}" height="${height.toFixed(0)}" ${FONT}>
<defs>${defs}</defs>
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="22" font-size="16" font-weight="bold">${escapeXml(title)}</text>
${legend(10, 34, legendExtra)}
${body.join("\n")}
</svg>
`;
}

export interface GanttOptions {
    readonly title: string;
    readonly criticalPath: ReadonlySet<string>;
}

/** One bar per step on a time axis, coloured by kind; the critical path outlined, failures hatched in red. */
export function ganttSvg(steps: readonly Step[], options: GanttOptions): string {
    const label = 320;
    const chart = 860;
    const row = 16;
    const top = 70;
    const wall = Math.max(1, ...steps.map((s) => s.end));
    const x = scaleLinear()
        .domain([0, wall])
        .range([label, label + chart])
        .nice();
    const height = top + steps.length * row + 30;
    const ticks = x
        .ticks(10)
        .map(
            (t) =>
                `<line x1="${x(t)}" y1="${top - 6}" x2="${x(t)}" y2="${height - 24}" stroke="#e0e0e0"/><text x="${x(t)}" y="${top - 10}" font-size="11" text-anchor="middle">${t}s</text>`,
        );
    const bars = steps.map((s, i) => {
        const y = top + i * row;
        const critical = options.criticalPath.has(s.urn);
        const width = Math.max(2, x(s.end) - x(s.start));
        const classes = ["bar", critical ? "critical" : "", s.status === "failed" ? "failed" : ""]
            .filter(Boolean)
            .join(" ");
        const fill = s.status === "failed" ? "url(#failed)" : KIND_COLOURS[s.kind];
        const stroke =
            s.status === "failed"
                ? `stroke="#c00000" stroke-width="2"`
                : critical
                  ? `stroke="#000" stroke-width="2"`
                  : "";
        const name = `${s.name}${s.op === "create" ? "" : ` (${s.op})`}`;
        return [
            `<text x="${label - 8}" y="${y + 11}" font-size="11" text-anchor="end"${critical ? ` font-weight="bold"` : ""}>${escapeXml(name.length > 48 ? `${name.slice(0, 47)}…` : name)}</text>`,
            `<rect class="${classes}" x="${x(s.start)}" y="${y + 2}" width="${width}" height="${row - 4}" fill="${fill}" ${stroke}><title>${escapeXml(`${s.name}: ${s.op}, ${s.seconds}s, ${s.status}${critical ? ", critical path" : ""}`)}</title></rect>`,
        ].join("");
    });
    const failedPattern = `<pattern id="failed" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffd0d0"/><line x1="0" y1="0" x2="0" y2="6" stroke="#c00000" stroke-width="3"/></pattern>`;
    return svgDocument(
        label + chart + 40,
        height,
        options.title,
        failedPattern,
        [
            CRITICAL_KEY("critical path"),
            `<rect x="880" y="34" width="12" height="12" fill="url(#failed)" stroke="#c00000" stroke-width="2"/><text x="898" y="44" font-size="12">failed</text>`,
        ],
        [...ticks, ...bars],
    );
}

interface Point {
    readonly x: number;
    readonly y: number;
}
/** A box dagre lays out: its label and size, and (after the layout) its centre. */
interface LaidOutNode extends Point {
    readonly label: string;
    readonly width: number;
    readonly height: number;
}

/** A graph of boxes and edges for dagre, typed as this file uses it. */
function layoutGraph() {
    return new dagre.graphlib.Graph<dagre.GraphLabel, LaidOutNode, { points?: Point[] }>();
}

/** The real steps as a left-to-right layered graph; the estimated critical path drawn thick and black. */
export function graphSvg(
    nodes: readonly GraphNode[],
    dependencies: ReadonlyMap<string, readonly string[]>,
    estimate: Schedule,
    title: string,
): string {
    const g = layoutGraph();
    g.setGraph({ rankdir: "LR", nodesep: 8, ranksep: 60, marginx: 20, marginy: 70 });
    g.setDefaultEdgeLabel(() => ({}));
    const real = nodes.filter((n) => n.custom && n.type !== "pulumi:pulumi:Stack");
    const critical = new Set(estimate.criticalPath);
    for (const n of real) {
        const label = `${nameOf(n.urn)} ${Math.round((estimate.end.get(n.urn)! - estimate.start.get(n.urn)!) * 10) / 10}s`;
        g.setNode(n.urn, { label, width: label.length * 6.2 + 14, height: 20, x: 0, y: 0 });
    }
    const edges: [string, string][] = [];
    for (const n of real)
        for (const d of dependencies.get(n.urn) ?? [])
            if (g.hasNode(d)) {
                g.setEdge(d, n.urn);
                edges.push([d, n.urn]);
            }
    dagre.layout(g);
    const size = g.graph();
    const width = Math.max(900, (size.width ?? 0) + 40);
    const height = (size.height ?? 0) + 20;
    const paths = edges.map(([from, to]) => {
        const points = g.edge(from, to).points ?? [];
        const onPath =
            critical.has(from) &&
            critical.has(to) &&
            estimate.criticalPath.indexOf(to) === estimate.criticalPath.indexOf(from) + 1;
        return `<polyline class="edge${onPath ? " critical" : ""}" points="${points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ")}" fill="none" stroke="${onPath ? "#000" : "#9a9a9a"}" stroke-width="${onPath ? 2.5 : 0.8}" marker-end="url(#arrow)"/>`;
    });
    const boxes = real.map((n) => {
        const { x, y, width: w, height: h, label } = g.node(n.urn);
        const kind = kindOf(n.type, n.urn, n.inputs);
        const onPath = critical.has(n.urn);
        return `<g class="node${onPath ? " critical" : ""}"><rect x="${(x - w / 2).toFixed(1)}" y="${(y - h / 2).toFixed(1)}" width="${w.toFixed(1)}" height="${h}" rx="4" fill="${KIND_COLOURS[kind]}" fill-opacity="0.85" stroke="${onPath ? "#000" : "none"}" stroke-width="2"/><text x="${x.toFixed(1)}" y="${(y + 4).toFixed(1)}" font-size="10.5" text-anchor="middle" fill="#111">${escapeXml(label)}</text></g>`;
    });
    return svgDocument(width, height, title, ARROW, [CRITICAL_KEY("estimated critical path")], [...paths, ...boxes]);
}

/** The child of the Stack that `urn` belongs to (itself when it is one). */
function topLevelOf(urn: string, byUrn: ReadonlyMap<string, GraphNode>): string {
    let current = byUrn.get(urn);
    while (current?.parent && byUrn.get(current.parent) && byUrn.get(current.parent)!.type !== "pulumi:pulumi:Stack")
        current = byUrn.get(current.parent);
    return current?.urn ?? urn;
}

const COMPONENT_KINDS: Readonly<Record<string, StepKind>> = {
    ContainerImage: "image build",
    PulledImage: "image build",
    KindCluster: "cluster",
    ImageLoad: "image load",
};

/**
 * The graph one level up: each child of the Stack (a component, or a resource of the stack itself) is one box with
 * the estimated span of its steps; an edge means some step of one waits for some step of the other. Edges implied by
 * other edges are left out (transitive reduction), so what remains reads as the order of work.
 */
export function componentGraphSvg(
    nodes: readonly GraphNode[],
    dependencies: ReadonlyMap<string, readonly string[]>,
    estimate: Schedule,
    title: string,
): string {
    const byUrn = new Map(nodes.map((n) => [n.urn, n]));
    const real = nodes.filter(
        (n) => n.custom && n.type !== "pulumi:pulumi:Stack" && !n.type.startsWith("pulumi:providers:"),
    );
    const groups = new Map<string, { start: number; end: number; critical: boolean; seconds: Map<StepKind, number> }>();
    const critical = new Set(estimate.criticalPath);
    for (const n of real) {
        const g = topLevelOf(n.urn, byUrn);
        const span = groups.get(g) ?? {
            start: Infinity,
            end: 0,
            critical: false,
            seconds: new Map<StepKind, number>(),
        };
        const [start, end] = [estimate.start.get(n.urn)!, estimate.end.get(n.urn)!];
        const kind = kindOf(n.type, n.urn, n.inputs);
        span.seconds.set(kind, (span.seconds.get(kind) ?? 0) + Math.max(end - start, 0.01));
        groups.set(g, {
            ...span,
            start: Math.min(span.start, start),
            end: Math.max(span.end, end),
            critical: span.critical || critical.has(n.urn),
        });
    }
    const edges = new Map<string, Set<string>>();
    for (const n of real) {
        for (const d of dependencies.get(n.urn) ?? []) {
            if (!byUrn.get(d) || byUrn.get(d)!.type.startsWith("pulumi:providers:")) continue;
            const [from, to] = [topLevelOf(d, byUrn), topLevelOf(n.urn, byUrn)];
            if (from !== to && groups.has(from) && groups.has(to))
                edges.set(from, new Set([...(edges.get(from) ?? []), to]));
        }
    }
    const reaches = (from: string, to: string, skipDirect: boolean): boolean => {
        const stack = [...(edges.get(from) ?? [])].filter((x) => !(skipDirect && x === to));
        const seen = new Set<string>();
        while (stack.length) {
            const x = stack.pop()!;
            if (x === to) return true;
            if (seen.has(x)) continue;
            seen.add(x);
            stack.push(...(edges.get(x) ?? []));
        }
        return false;
    };
    const kept: [string, string][] = [];
    for (const [from, tos] of edges) for (const to of tos) if (!reaches(from, to, true)) kept.push([from, to]);

    const g = layoutGraph();
    g.setGraph({ rankdir: "LR", nodesep: 14, ranksep: 70, marginx: 20, marginy: 70 });
    g.setDefaultEdgeLabel(() => ({}));
    const round = (n: number) => Math.round(n * 10) / 10;
    for (const [urn, span] of groups) {
        const node = byUrn.get(urn)!;
        const label = `${node.type.split(":").pop()} ${nameOf(urn)}  ${round(span.start)}–${round(span.end)} s`;
        g.setNode(urn, { label, width: label.length * 6.4 + 16, height: 24, x: 0, y: 0 });
    }
    for (const [from, to] of kept) g.setEdge(from, to);
    dagre.layout(g);
    const size = g.graph();
    const paths = kept.map(([from, to]) => {
        const onPath = groups.get(from)!.critical && groups.get(to)!.critical;
        const points = g.edge(from, to).points ?? [];
        return `<polyline class="edge${onPath ? " critical" : ""}" points="${points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ")}" fill="none" stroke="${onPath ? "#000" : "#888"}" stroke-width="${onPath ? 2.5 : 1}" marker-end="url(#arrow)"/>`;
    });
    const boxes = [...groups].map(([urn, span]) => {
        const { x, y, width: w, height: h, label } = g.node(urn);
        const node = byUrn.get(urn)!;
        // Coloured by the kind of work that takes most of its time (a component's children may be of several kinds).
        const dominant = [...span.seconds].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "other";
        const kind = COMPONENT_KINDS[node.type.split(":").pop()!] ?? dominant;
        return `<g class="node${span.critical ? " critical" : ""}"><rect x="${(x - w / 2).toFixed(1)}" y="${(y - h / 2).toFixed(1)}" width="${w.toFixed(1)}" height="${h}" rx="4" fill="${KIND_COLOURS[kind]}" fill-opacity="0.85" stroke="${span.critical ? "#000" : "none"}" stroke-width="2"/><text x="${x.toFixed(1)}" y="${(y + 4).toFixed(1)}" font-size="11" text-anchor="middle" fill="#111">${escapeXml(label)}</text></g>`;
    });
    return svgDocument(
        Math.max(1000, (size.width ?? 0) + 40),
        (size.height ?? 0) + 20,
        title,
        ARROW,
        [CRITICAL_KEY("estimated critical path")],
        [...paths, ...boxes],
    );
}
