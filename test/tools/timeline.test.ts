/**
 * The timeline over event logs shaped as Pulumi writes them (one EngineEvent per line, whole-second timestamps), the
 * critical path and barrier schedule on hand-checked graphs, and the pictures.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { execa } from "execa";
import { XMLValidator } from "fast-xml-parser";
import { graphReport, readDurations } from "../../cli/graph.js";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { criticalPath, readGraph, realDependencies, schedule, type GraphNode } from "../../tools/timeline/graph.js";
import { buildTimeline, timelineJson } from "../../tools/timeline/report.js";
import { readSteps, type EngineEvent } from "../../tools/timeline/steps.js";
import { componentGraphSvg, ganttSvg, graphSvg } from "../../tools/timeline/svg.js";
import { tempDir } from "../support/steps.js";

const T0 = 1_763_950_000;
const STACK_URN = "urn:pulumi:sp::kubernaut-e2e::pulumi:pulumi:Stack::kubernaut-e2e-sp";
const urn = (type: string, name: string, parentType?: string) =>
    `urn:pulumi:sp::kubernaut-e2e::${parentType ? `${parentType}$` : ""}${type}::${name}`;
const BUILD = urn("kubernaut-e2e-local:index:Step", "sp-build", "kubernaut-e2e:components:ContainerImage");
const CLUSTER = urn("kubernaut-e2e-local:index:Step", "cluster-create", "kubernaut-e2e:components:KindCluster");
const LOAD = urn("kubernaut-e2e-local:index:Step", "sp-load", "kubernaut-e2e:components:ImageLoad");
const DEPLOY = urn(
    "kubernetes:apps/v1:Deployment",
    "sp-deployment",
    "kubernaut-e2e:components:SignalProcessingController",
);
const CONFIG = urn("kubernetes:core/v1:ConfigMap", "sp-config", "kubernaut-e2e:components:SignalProcessingController");

let sequence = 0;
function event(at: number, body: Omit<EngineEvent, "sequence" | "timestamp">): EngineEvent {
    return { sequence: sequence++, timestamp: T0 + at, ...body };
}
function meta(op: string, u: string, parent = STACK_URN) {
    return { op, urn: u, type: u.split("::")[2].split("$").pop()!, new: { parent } };
}
const pre = (at: number, op: string, u: string, planning = false) =>
    event(at, { resourcePreEvent: { metadata: meta(op, u), planning } });
const outputs = (at: number, op: string, u: string, planning = false) =>
    event(at, { resOutputsEvent: { metadata: meta(op, u), planning } });
const failed = (at: number, op: string, u: string) =>
    event(at, { resOpFailedEvent: { metadata: meta(op, u), status: 1, steps: 1 } });

/** A run: build and config in parallel, cluster after the build, load, a failing deployment; plus noise. */
function runEvents(): EngineEvent[] {
    sequence = 0;
    return [
        pre(0, "create", BUILD, true),
        outputs(0, "create", BUILD, true), // the preview's events
        pre(0, "create", BUILD),
        pre(1, "create", CONFIG),
        pre(1, "same", urn("kubernetes:core/v1:Namespace", "ns")),
        outputs(1, "same", urn("kubernetes:core/v1:Namespace", "ns")),
        outputs(1, "create", CONFIG), // 1-second resolution: a step of 0 s
        outputs(40, "create", BUILD),
        pre(40, "create", CLUSTER),
        outputs(62, "create", CLUSTER),
        pre(62, "create", LOAD),
        outputs(70, "create", LOAD),
        pre(70, "update", DEPLOY),
        failed(95, "update", DEPLOY),
    ];
}

describe("reading an event log", () => {
    it("pairs each step's pre event with its outputs or failure, relative to the first event", () => {
        const log = readSteps(runEvents());
        assert.equal(log.wallSeconds, 95);
        assert.deepEqual(
            log.steps.map((s) => [s.name, s.op, s.start, s.end, s.seconds, s.status, s.kind]),
            [
                ["sp-build", "create", 0, 40, 40, "ok", "image build"],
                ["sp-config", "create", 1, 1, 0, "ok", "kubernetes object"],
                ["cluster-create", "create", 40, 62, 22, "ok", "cluster"],
                ["sp-load", "create", 62, 70, 8, "ok", "image load"],
                ["sp-deployment", "update", 70, 95, 25, "failed", "kubernetes object"],
            ],
        );
    });

    it("skips planning events and `same` steps, and sorts lines by sequence", () => {
        const shuffled = runEvents().reverse();
        const log = readSteps(shuffled);
        assert.equal(log.steps.length, 5);
        assert.ok(!log.steps.some((s) => s.op === "same"));
        assert.equal(log.steps[0].name, "sp-build");
    });

    it("shows a replace as its two steps of one URN", () => {
        sequence = 0;
        const log = readSteps([
            pre(0, "create-replacement", CLUSTER),
            outputs(20, "create-replacement", CLUSTER),
            pre(20, "delete-replaced", CLUSTER),
            outputs(23, "delete-replaced", CLUSTER),
        ]);
        assert.deepEqual(
            log.steps.map((s) => [s.op, s.start, s.end]),
            [
                ["create-replacement", 0, 20],
                ["delete-replaced", 20, 23],
            ],
        );
    });

    it("counts a step that never finished as failed, ending with the log", () => {
        sequence = 0;
        const log = readSteps([pre(0, "create", BUILD), pre(3, "create", CONFIG), outputs(9, "create", CONFIG)]);
        assert.deepEqual(
            log.steps.map((s) => [s.name, s.end, s.status]),
            [
                ["sp-build", 9, "failed"],
                ["sp-config", 9, "ok"],
            ],
        );
    });

    it("prints the JSON report with wall time, resources, critical path and seconds by kind", () => {
        const graph = readGraph({
            resources: [
                { urn: STACK_URN, type: "pulumi:pulumi:Stack", dependencies: [] },
                { urn: BUILD, type: "kubernaut-e2e-local:index:Step", dependencies: [] },
                { urn: CONFIG, type: "kubernetes:core/v1:ConfigMap", dependencies: [] },
                { urn: CLUSTER, type: "kubernaut-e2e-local:index:Step", dependencies: [BUILD] },
                { urn: LOAD, type: "kubernaut-e2e-local:index:Step", dependencies: [BUILD, CLUSTER] },
                { urn: DEPLOY, type: "kubernetes:apps/v1:Deployment", dependencies: [LOAD, CONFIG] },
            ],
        });
        const report = JSON.parse(timelineJson(buildTimeline(runEvents(), graph)));
        assert.equal(report.wallSeconds, 95);
        assert.deepEqual(report.criticalPath, [BUILD, CLUSTER, LOAD, DEPLOY]);
        assert.deepEqual(report.byKind, {
            "image build": 40,
            cluster: 22,
            "image load": 8,
            "kubernetes object": 25,
            other: 0,
        });
        assert.deepEqual(Object.keys(report.resources[0]).slice(0, 8), [
            "urn",
            "type",
            "name",
            "op",
            "start",
            "end",
            "seconds",
            "status",
        ]);
        assert.equal(
            report.resources.find((r: { name: string }) => r.name === "sp-config").slack,
            69,
            "the config could have taken 69 s more",
        );
    });
});

describe("critical path and slack", () => {
    it("follows the chain that ends last, step back by step back, and gives each step its slack", () => {
        // A(0-10) → B(10-30) → E(30-35); C(0-5) → D(5-12) → E.
        const timings = new Map([
            ["A", { start: 0, end: 10 }],
            ["B", { start: 10, end: 30 }],
            ["C", { start: 0, end: 5 }],
            ["D", { start: 5, end: 12 }],
            ["E", { start: 30, end: 35 }],
        ]);
        const deps = new Map([
            ["A", []],
            ["B", ["A"]],
            ["C", []],
            ["D", ["C"]],
            ["E", ["B", "D"]],
        ]);
        const { path: chain, slack } = criticalPath(timings, deps);
        assert.deepEqual(chain, ["A", "B", "E"]);
        assert.deepEqual(Object.fromEntries(slack), { A: 0, B: 0, C: 18, D: 18, E: 0 });
    });

    it("passes over components: a dependency on one stands for its children", () => {
        const nodes = readGraph({
            resources: [
                { urn: "stack", type: "pulumi:pulumi:Stack" },
                { urn: "image", type: "kubernaut-e2e:components:ContainerImage", parent: "stack" },
                { urn: "build", type: "kubernaut-e2e-local:index:Step", parent: "image" },
                {
                    urn: "deploy",
                    type: "kubernetes:apps/v1:Deployment",
                    dependencies: ["image"],
                    provider: "provider::id",
                },
                { urn: "provider", type: "pulumi:providers:kubernetes" },
            ],
        });
        assert.deepEqual(Object.fromEntries(realDependencies(nodes)), {
            build: [],
            deploy: ["build", "provider"],
            provider: [],
        });
    });
});

describe("graph versus the seeds' barriers", () => {
    // build1 10 s, build2 30 s, cluster 5 s (created at once), each load 2 s, each deploy 4 s.
    const nodes: GraphNode[] = [
        ["b1-build", "kubernaut-e2e-local:index:Step", []],
        ["b2-build", "kubernaut-e2e-local:index:Step", []],
        ["cluster-create", "kubernaut-e2e-local:index:Step", []],
        ["l1-load", "kubernaut-e2e-local:index:Step", ["b1-build", "cluster-create"]],
        ["l2-load", "kubernaut-e2e-local:index:Step", ["b2-build", "cluster-create"]],
        ["d1", "kubernetes:apps/v1:Deployment", ["l1-load"]],
        ["d2", "kubernetes:apps/v1:Deployment", ["l2-load"]],
    ]
        .map(([u, type, deps]) => ({
            urn: `urn:pulumi:s::p::${u === "cluster-create" ? "kubernaut-e2e:components:KindCluster$" : (u as string).endsWith("-load") ? "kubernaut-e2e:components:ImageLoad$" : ""}${type as string}::${u as string}`,
            type: type as string,
            parent: null,
            custom: true,
            dependencies: [] as string[],
            _deps: deps as string[],
        }))
        .map((n, _, all) => ({
            ...n,
            dependencies: n._deps.map((d) => all.find((x) => x.urn.endsWith(`::${d}`))!.urn),
        }));
    const durations = { "b1-build": 10, "b2-build": 30, "cluster-create": 5, "l1-load": 2, "l2-load": 2, d1: 4, d2: 4 };

    it("schedules each step when its dependencies end: 30 + 2 + 4 = 36 s", () => {
        const s = schedule(nodes, durations, false);
        assert.equal(s.totalSeconds, 36);
        assert.deepEqual(
            s.criticalPath.map((u) => u.split("::").pop()),
            ["b2-build", "l2-load", "d2"],
        );
        assert.deepEqual(
            s.waves.map((w) => w.map((u) => u.split("::").pop()).sort()),
            [
                ["b1-build", "b2-build", "cluster-create"],
                ["l1-load", "l2-load"],
                ["d1", "d2"],
            ],
        );
    });

    it("schedules with four barriers as the seeds did: 30 + 5 + 2 + 4 = 41 s", () => {
        assert.equal(schedule(nodes, durations, true).totalSeconds, 41);
        const report = graphReport(nodes, durations);
        assert.deepEqual([report.graphSeconds, report.barrierSeconds], [36, 41]);
    });

    it("takes durations from a previous timeline report, over the defaults", () => {
        const d = readDurations({
            resources: [
                { name: "sp-build", seconds: 61, op: "create" },
                { name: "sp-build", seconds: 3, op: "update" },
            ],
        });
        assert.equal(d["sp-build"], 61);
        assert.equal(d["image load"], 11.3);
        assert.throws(() => readDurations({ cluster: "fast" }), /`cluster` must be a number of seconds/);
    });
});

describe("pictures", () => {
    it("draws a well-formed Gantt chart with one bar per step, the critical path and the failure marked", () => {
        const timeline = buildTimeline(runEvents());
        const steps = Array.from({ length: 120 }, (_, i) => ({
            ...timeline.steps[i % timeline.steps.length],
            urn: `${timeline.steps[i % timeline.steps.length].urn}-${i}`,
            name: `step-${i} <&>`,
        }));
        const svg = ganttSvg(steps, { title: "sp: 95 s", criticalPath: new Set([steps[0].urn, steps[2].urn]) });
        assert.equal(XMLValidator.validate(svg), true);
        assert.equal((svg.match(/<rect class="bar/g) ?? []).length, 120);
        assert.equal((svg.match(/class="bar critical/g) ?? []).length, 2);
        assert.equal((svg.match(/class="bar[^"]*failed/g) ?? []).length, 120 / 5);
        assert.ok(svg.includes("step-1 &lt;&amp;&gt;"));
    });

    it("draws the plan's graph with one node per real step", () => {
        const plan = JSON.parse(
            fs.readFileSync(path.join(PROJECT_ROOT, "test", "fixtures", "timeline", "plan.json"), "utf8"),
        );
        const nodes = readGraph(plan);
        const estimate = schedule(nodes, {}, false);
        const svg = graphSvg(nodes, realDependencies(nodes), estimate, "fixture");
        assert.equal(XMLValidator.validate(svg), true);
        assert.equal(
            (svg.match(/<g class="node/g) ?? []).length,
            nodes.filter((n) => n.custom && n.type !== "pulumi:pulumi:Stack").length,
        );
        assert.ok((svg.match(/class="node critical"/g) ?? []).length >= 2);
    });

    it("draws the component-level graph: one box per child of the stack, implied edges left out", () => {
        const plan = JSON.parse(
            fs.readFileSync(path.join(PROJECT_ROOT, "test", "fixtures", "timeline", "plan.json"), "utf8"),
        );
        const nodes = readGraph(plan);
        const svg = componentGraphSvg(nodes, realDependencies(nodes), schedule(nodes, {}, false), "fixture");
        assert.equal(XMLValidator.validate(svg), true);
        const stack = nodes.find((n) => n.type === "pulumi:pulumi:Stack")!;
        const stackChildren = nodes.filter((n) => n.parent === stack.urn);
        assert.equal((svg.match(/<g class="node/g) ?? []).length, stackChildren.length);
        // smoke-e2e: api and worker images → cluster → loads. The image→load edges are implied through the cluster.
        assert.equal((svg.match(/<polyline class="edge/g) ?? []).length, 4);
    });
});

describe("timeline command", () => {
    it("reads a log and a graph file and writes the JSON report and the SVG", async () => {
        const dir = tempDir("timeline");
        const log = path.join(dir, "events.jsonl");
        fs.writeFileSync(
            log,
            runEvents()
                .map((e) => JSON.stringify(e))
                .join("\n"),
        );
        const svg = path.join(dir, "t.svg");
        const run = await execa(
            "node",
            [path.join(PROJECT_ROOT, "bin", "cli", "timeline.js"), log, "--json", "--svg", svg],
            { reject: false },
        );
        assert.equal(run.exitCode, 0, String(run.stderr));
        assert.equal(JSON.parse(String(run.stdout)).wallSeconds, 95);
        assert.equal(XMLValidator.validate(fs.readFileSync(svg, "utf8")), true);
        const table = await execa("node", [path.join(PROJECT_ROOT, "bin", "cli", "timeline.js"), log], {
            reject: false,
        });
        assert.match(String(table.stdout), /wall time 95 s, 5 steps/);
        assert.match(String(table.stdout), /failed update +kubernetes object +sp-deployment/);
    });

    it("fails naming the line of a malformed log", async () => {
        const log = path.join(tempDir("timeline"), "bad.jsonl");
        fs.writeFileSync(log, '{"sequence":0,"timestamp":1}\nnot json\n');
        const run = await execa("node", [path.join(PROJECT_ROOT, "bin", "cli", "timeline.js"), log], { reject: false });
        assert.equal(run.exitCode, 1);
        assert.match(String(run.stderr), /event log line 2: not JSON/);
    });
});
