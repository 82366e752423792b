/**
 * The dependency graph of a stack and what it implies for time: the critical path of a real run (with each step's
 * slack), and, before any run, an estimated schedule — both as the engine runs it (each step as soon as its
 * dependencies are done) and as Kubernaut's seeds did (four barriers: builds, cluster, loads, deploys).
 */
import { kindOf, nameOf, type Step, type StepKind } from "./steps.js";

export interface GraphNode {
    readonly urn: string;
    readonly type: string;
    readonly parent: string | null;
    readonly dependencies: readonly string[];
    /** A real step; false for the Stack and component resources, which only span their children. */
    readonly custom: boolean;
    readonly inputs?: Record<string, unknown>;
}

/**
 * Reads `pulumi stack export` JSON (`deployment.resources`) or this project's plan JSON (`resources`). A plan does not
 * say which resources are components, so `kubernaut-e2e:components:*` and the Stack count as components there.
 */
export function readGraph(json: unknown): GraphNode[] {
    const doc = json as { deployment?: { resources?: unknown[] }; resources?: unknown[] };
    const raw = (doc.deployment?.resources ?? doc.resources) as Record<string, unknown>[] | undefined;
    if (!Array.isArray(raw))
        throw new Error("expected `pulumi stack export` JSON (deployment.resources) or plan JSON (resources)");
    return raw.map((r) => {
        const type = String(r.type);
        const custom =
            typeof r.custom === "boolean"
                ? r.custom
                : !(type === "pulumi:pulumi:Stack" || /^[^:]+:components:/.test(type));
        // Objects on a cluster wait for it through their provider, which is not among their dependencies.
        const provider =
            typeof r.provider === "string" && r.provider ? r.provider.split("::").slice(0, -1).join("::") : undefined;
        return {
            urn: String(r.urn),
            type,
            parent: (r.parent as string | undefined) || null,
            dependencies: [...((r.dependencies as string[] | undefined) ?? []), ...(provider ? [provider] : [])],
            custom,
            inputs: r.inputs as Record<string, unknown> | undefined,
        };
    });
}

/** Each real step's dependencies on real steps, a dependency on a component standing for all its descendants. */
export function realDependencies(nodes: readonly GraphNode[]): Map<string, string[]> {
    const byUrn = new Map(nodes.map((n) => [n.urn, n]));
    const children = new Map<string, string[]>();
    for (const n of nodes) if (n.parent) children.set(n.parent, [...(children.get(n.parent) ?? []), n.urn]);
    const expand = (urn: string, seen = new Set<string>()): string[] => {
        if (seen.has(urn)) return [];
        seen.add(urn);
        const node = byUrn.get(urn);
        if (!node) return [];
        if (node.custom) return [urn];
        return (children.get(urn) ?? []).flatMap((c) => expand(c, seen));
    };
    const result = new Map<string, string[]>();
    for (const n of nodes.filter((x) => x.custom))
        result.set(
            n.urn,
            [...new Set(n.dependencies.flatMap((d) => expand(d)))].filter((d) => d !== n.urn),
        );
    return result;
}

export interface CriticalPath {
    /** URNs, first step to last. */
    readonly path: string[];
    /** Seconds each real step could have taken longer without delaying the end. */
    readonly slack: Map<string, number>;
}

/**
 * The chain of dependencies that ends last, over real steps with timings: start from the step that ends last and
 * repeatedly step back to the dependency that ended last. Slack comes from a backward pass over the same graph.
 */
export function criticalPath(
    timings: ReadonlyMap<string, { start: number; end: number }>,
    dependencies: ReadonlyMap<string, readonly string[]>,
): CriticalPath {
    const steps = [...timings.keys()].filter((urn) => dependencies.has(urn) || !dependencies.size);
    const depsOf = (urn: string) => (dependencies.get(urn) ?? []).filter((d) => timings.has(d));
    if (steps.length === 0) return { path: [], slack: new Map() };
    let last = steps[0];
    for (const urn of steps) if (timings.get(urn)!.end > timings.get(last)!.end) last = urn;
    const path = [last];
    for (let current = last; ;) {
        const deps = depsOf(current);
        if (deps.length === 0) break;
        current = deps.reduce((a, b) => (timings.get(b)!.end > timings.get(a)!.end ? b : a));
        path.unshift(current);
    }
    const wallEnd = timings.get(last)!.end;
    const dependents = new Map<string, string[]>();
    for (const urn of steps) for (const d of depsOf(urn)) dependents.set(d, [...(dependents.get(d) ?? []), urn]);
    const latestFinish = new Map<string, number>();
    const visit = (urn: string): number => {
        const known = latestFinish.get(urn);
        if (known !== undefined) return known;
        const after = dependents.get(urn) ?? [];
        const value =
            after.length === 0
                ? wallEnd
                : Math.min(...after.map((d) => visit(d) - (timings.get(d)!.end - timings.get(d)!.start)));
        latestFinish.set(urn, value);
        return value;
    };
    const slack = new Map(steps.map((urn) => [urn, Math.max(0, visit(urn) - timings.get(urn)!.end)]));
    return { path, slack };
}

/** Critical path of a real run: the timeline's steps joined with the graph. */
export function runCriticalPath(steps: readonly Step[], nodes: readonly GraphNode[]): CriticalPath {
    const real = new Set(nodes.filter((n) => n.custom).map((n) => n.urn));
    const timings = new Map<string, { start: number; end: number }>();
    for (const s of steps) {
        if (!real.has(s.urn)) continue;
        const prior = timings.get(s.urn);
        // A replaced resource has two steps; the resource is done when the later one is.
        timings.set(
            s.urn,
            prior
                ? { start: Math.min(prior.start, s.start), end: Math.max(prior.end, s.end) }
                : { start: s.start, end: s.end },
        );
    }
    return criticalPath(timings, realDependencies(nodes));
}

/**
 * Default step durations, in seconds, from the seeds' one measured SignalProcessing profile (inventory §6, December
 * 2025: builds 125.4 s in parallel, cluster + CRDs + policies 26.3 s, loads 11.3 s in parallel, deploy + ready 38.1 s).
 * Kubernetes objects that are not workloads take about a second; workloads are estimates sized so the lane's deploy
 * phase (PostgreSQL, Redis, migrations, DataStorage, SP, all at once) lands near the measured 38.1 s.
 */
export const DEFAULT_DURATIONS: Readonly<Record<string, number>> = {
    "image build": 125.4,
    "image pull": 5,
    cluster: 22,
    "image load": 11.3,
    "kubernetes object": 1,
    Deployment: 15,
    Job: 5,
    other: 0.5,
    // The lane's slowest rollout: DataStorage's readiness probe starts after 30 s (inventory §2.4).
    "datastorage-deployment": 32,
};

/** A step's estimated seconds: an explicit duration for its name, else its kind's default. */
export function estimateDuration(node: GraphNode, durations: Readonly<Record<string, number>>): number {
    const name = nameOf(node.urn);
    if (durations[name] !== undefined) return durations[name];
    const kind = kindOf(node.type, node.urn, node.inputs);
    if (kind === "image build" && /-pull$/.test(name))
        return durations["image pull"] ?? DEFAULT_DURATIONS["image pull"];
    const k8sKind = node.type.startsWith("kubernetes:") ? node.type.split(":").pop()! : undefined;
    if (k8sKind && durations[k8sKind] !== undefined) return durations[k8sKind];
    return durations[kind] ?? DEFAULT_DURATIONS[kind];
}

/** The four barriers Kubernaut's setup code runs: every step belongs to exactly one. */
export type Barrier = "builds" | "cluster" | "loads" | "deploys";

export function barrierOf(kind: StepKind, type: string): Barrier {
    if (kind === "image build") return "builds";
    if (kind === "cluster") return "cluster";
    if (kind === "image load") return "loads";
    // Kubernaut creates the CRDs and the namespace right after the cluster, before any load.
    if (/CustomResourceDefinition$|:Namespace$|^pulumi:providers:kubernetes$/.test(type)) return "cluster";
    return "deploys";
}

export interface Schedule {
    /** Seconds from start to the end of the last step. */
    readonly totalSeconds: number;
    readonly start: Map<string, number>;
    readonly end: Map<string, number>;
    /** First to last step of the chain that ends last. */
    readonly criticalPath: string[];
    /** Topological waves: steps that can run at once, wave 0 first. */
    readonly waves: string[][];
}

/**
 * Schedules the real steps with the given durations. Without barriers, each step starts when its dependencies end
 * (the engine's behaviour, unlimited parallelism). With barriers, a step also waits for every step of every earlier
 * barrier (the seeds' phases); dependencies inside a phase still hold.
 */
export function schedule(
    nodes: readonly GraphNode[],
    durations: Readonly<Record<string, number>>,
    withBarriers: boolean,
): Schedule {
    const deps = realDependencies(nodes);
    const real = nodes.filter((n) => n.custom);
    const byUrn = new Map(real.map((n) => [n.urn, n]));
    const order: Barrier[] = ["builds", "cluster", "loads", "deploys"];
    const barrier = new Map(real.map((n) => [n.urn, barrierOf(kindOf(n.type, n.urn, n.inputs), n.type)]));
    const start = new Map<string, number>();
    const end = new Map<string, number>();
    const wave = new Map<string, number>();
    const phaseEnd = new Map<Barrier, number>();
    const visiting = new Set<string>();
    const visit = (urn: string): number => {
        const known = end.get(urn);
        if (known !== undefined) return known;
        if (visiting.has(urn)) throw new Error(`dependency cycle through ${urn}`);
        visiting.add(urn);
        const node = byUrn.get(urn)!;
        const own = deps.get(urn) ?? [];
        let earliest = Math.max(0, ...own.map(visit));
        if (withBarriers) {
            const index = order.indexOf(barrier.get(urn)!);
            for (const earlier of order.slice(0, index)) earliest = Math.max(earliest, phaseEndOf(earlier));
        }
        wave.set(urn, Math.max(0, ...own.map((d) => wave.get(d)! + 1)));
        start.set(urn, earliest);
        end.set(urn, earliest + estimateDuration(node, durations));
        visiting.delete(urn);
        return end.get(urn)!;
    };
    const phaseEndOf = (phase: Barrier): number => {
        const known = phaseEnd.get(phase);
        if (known !== undefined) return known;
        const value = Math.max(0, ...real.filter((n) => barrier.get(n.urn) === phase).map((n) => visit(n.urn)));
        phaseEnd.set(phase, value);
        return value;
    };
    for (const n of real) visit(n.urn);
    const timings = new Map(real.map((n) => [n.urn, { start: start.get(n.urn)!, end: end.get(n.urn)! }]));
    const waves: string[][] = [];
    for (const [urn, w] of wave) (waves[w] ??= []).push(urn);
    return {
        totalSeconds: Math.max(0, ...end.values()),
        start,
        end,
        criticalPath: withBarriers ? [] : criticalPath(timings, deps).path,
        waves,
    };
}
