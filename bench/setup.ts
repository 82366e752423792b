/**
 * `npm run bench:setup -- <stack> [--runs N] [--change FILE] [--json]`: how long a stack takes to come up, measured
 * the way a user runs it (`npm run up`, compile check and CLI start included), in four scenarios per run:
 *
 *   cold    destroyed, and the stack's images removed from the engine: everything builds
 *   cached  destroyed, images kept: nothing builds, everything else is made
 *   noop    up again with nothing changed
 *   change  one kept file of one image changed (`--change`, restored afterwards): that image's build, load, rollout
 *
 * Each run's event log gives the seconds per kind of step (builds, cluster, loads, Kubernetes objects, other) and when
 * the engine was busy: before its first step (CLI start, language host, program evaluation), with steps, and after
 * (state written). Prints median/min/max per scenario and per kind, with the conditions (CPU, memory, engine, versions,
 * which images already existed); `--json` prints everything, each run included.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execa } from "execa";
import { z } from "zod";
import { runEnvironment, type RunEnvironment } from "../cli/up-timed.js";
import { command, isMain, main, UsageError, type StepIO } from "../lib/command-line.js";
import { resolveEngine } from "../lib/engine.js";
import { resolvePulumiCli } from "../lib/pulumi-cli.js";
import { PROJECT_ROOT } from "../lib/stack-scope.js";
import { buildTimeline } from "../tools/timeline/report.js";
import { parseEventLog, STEP_KINDS, type StepKind } from "../tools/timeline/steps.js";
import { planStack } from "../tools/plan-stack.js";

export const SCENARIOS = ["cold", "cached", "noop", "change"] as const;
type Scenario = (typeof SCENARIOS)[number];

/**
 * Where a run's wall time went (event timestamps have 1 s resolution): `startup` until the engine's first event (the
 * wrapper's compile check, the CLI, plugins), `program` from there to the first step (language host, program
 * evaluation, diffs; a run without steps spends all its engine time here), `steps` from the first step to the last,
 * `finish` after it (state written, summary, exit).
 */
export interface Phases {
    readonly startup: number;
    readonly program: number;
    readonly steps: number;
    readonly finish: number;
}

/**
 * The phases of a run that started at `startedAt` (epoch s) and took `wall` s, from its event log's first and last
 * timestamps (epoch s) and its steps' span relative to the first event (`undefined` when no step ran).
 */
export function phasesOf(
    startedAt: number,
    wall: number,
    log: { first: number; last: number } | undefined,
    steps: { first: number; last: number } | undefined,
): Phases {
    const end = startedAt + wall;
    if (!log) return { startup: wall, program: 0, steps: 0, finish: 0 };
    const startup = Math.max(0, log.first - startedAt);
    if (!steps)
        return { startup, program: Math.max(0, log.last - log.first), steps: 0, finish: Math.max(0, end - log.last) };
    return {
        startup,
        program: Math.max(0, steps.first),
        steps: Math.max(0, steps.last - steps.first),
        finish: Math.max(0, end - (log.first + steps.last)),
    };
}

export interface Measurement {
    readonly scenario: string;
    readonly run: number;
    readonly wallSeconds: number;
    readonly exitCode: number;
    /** Seconds of step time by kind (parallel steps each count). */
    readonly byKind: Record<StepKind, number>;
    /** From the command's start to the engine's first step, with steps, and after the last one (1 s resolution). */
    readonly phases: Phases;
    readonly stepsRun: number;
}

export interface Stats {
    readonly median: number;
    readonly min: number;
    readonly max: number;
}

export function stats(values: readonly number[]): Stats {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    const round = (n: number) => Math.round(n * 10) / 10;
    return { median: round(median ?? 0), min: round(sorted[0] ?? 0), max: round(sorted[sorted.length - 1] ?? 0) };
}

/** One `npm run up` (the project's wrapper) with an event log, measured from the outside. */
export async function timedUp(
    stack: string,
    eventLog: string,
    io: StepIO,
): Promise<{ wall: number; exitCode: number; startedAt: number }> {
    const startedAt = Date.now();
    const result = await execa(
        "node",
        [
            path.join(PROJECT_ROOT, "cli", "launch.mjs"),
            "cli/pulumi",
            "up",
            stack,
            "--yes",
            "--skip-preview",
            "--event-log",
            eventLog,
        ],
        {
            cwd: PROJECT_ROOT,
            env: io.env,
            reject: false,
            stdio: ["ignore", "ignore", "pipe"],
        },
    );
    if (result.exitCode !== 0)
        io.log(
            `up failed (exit ${result.exitCode}): ${String(result.stderr).trim().split("\n").slice(-3).join(" | ")}`,
        );
    return { wall: (Date.now() - startedAt) / 1000, exitCode: result.exitCode ?? -1, startedAt };
}

export function measure(
    scenario: string,
    run: number,
    eventLog: string,
    up: { wall: number; exitCode: number; startedAt: number },
): Measurement {
    const events = fs.existsSync(eventLog) ? parseEventLog(fs.readFileSync(eventLog, "utf8")) : [];
    const timeline = buildTimeline(events);
    const real = timeline.steps.filter((s) => s.op !== "same");
    // Step times are relative to the log's first event; the run's start is absolute.
    const stamps = events.map((e) => e.timestamp);
    const log = stamps.length ? { first: Math.min(...stamps), last: Math.max(...stamps) } : undefined;
    const steps = real.length
        ? { first: Math.min(...real.map((s) => s.start)), last: Math.max(...real.map((s) => s.end)) }
        : undefined;
    const phases = phasesOf(up.startedAt / 1000, up.wall, log, steps);
    return {
        scenario,
        run,
        wallSeconds: Math.round(up.wall * 10) / 10,
        exitCode: up.exitCode,
        byKind: timeline.byKind,
        phases,
        stepsRun: real.length,
    };
}

export async function removeImages(refs: readonly string[], io: StepIO): Promise<void> {
    const engine = resolveEngine({ env: io.env, verify: false });
    await execa(engine.bin, ["rmi", "--force", ...refs], { env: io.env, reject: false });
}

async function bench(
    stack: string,
    runs: number,
    change: string,
    scenarios: readonly Scenario[],
    io: StepIO,
): Promise<{ conditions: RunEnvironment; measurements: Measurement[] }> {
    const refs = Object.values((await planStack(stack)).outputs.images as Record<string, string>).filter(
        (r) => typeof r === "string",
    );
    const cli = await resolvePulumiCli(io.env);
    const conditions = await runEnvironment(refs, io.env, cli.bin);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubernaut-e2e-bench-"));
    const original = fs.readFileSync(change, "utf8");
    const measurements: Measurement[] = [];
    const destroy = () =>
        execa(
            "node",
            [path.join(PROJECT_ROOT, "cli", "launch.mjs"), "cli/pulumi", "destroy", stack, "--yes", "--skip-preview"],
            { cwd: PROJECT_ROOT, env: io.env, reject: false, stdio: "ignore" },
        );
    try {
        for (let run = 1; run <= runs; run++) {
            for (const scenario of scenarios) {
                if (scenario === "cold" || scenario === "cached") await destroy();
                if (scenario === "cold") await removeImages(refs, io);
                if (scenario === "change") fs.appendFileSync(change, changeMarker(change));
                const eventLog = path.join(dir, `${scenario}-${run}.jsonl`);
                const m = measure(scenario, run, eventLog, await timedUp(stack, eventLog, io));
                measurements.push(m);
                io.log(`bench:setup: ${stack} run ${run} ${scenario}: ${m.wallSeconds} s (${m.stepsRun} steps)`);
                if (scenario === "change") fs.writeFileSync(change, original);
            }
        }
    } finally {
        fs.writeFileSync(change, original);
        fs.rmSync(dir, { recursive: true, force: true });
    }
    return { conditions, measurements };
}

/** A line that changes the file's content and nothing it means: a comment in its own syntax. */
export function changeMarker(file: string, now = Date.now()): string {
    const ext = path.extname(file);
    if ([".go", ".ts", ".js", ".c", ".rego"].includes(ext))
        return ext === ".rego" ? `\n# bench ${now}\n` : `\n// bench ${now}\n`;
    if ([".sh", ".yaml", ".yml", ".toml", ".py", ".txt", ""].includes(ext)) return `\n# bench ${now}\n`;
    return `\n<!-- bench ${now} -->\n`;
}

export function benchTable(stack: string, conditions: RunEnvironment, measurements: readonly Measurement[]): string {
    const scenarios = new Set(measurements.map((m) => m.scenario));
    const lines = [
        `${stack}: ${measurements.length / Math.max(1, scenarios.size)} run(s) per scenario; seconds as median (min–max)`,
        "",
    ];
    const header = ["scenario", "wall", "startup", "program", "steps", "finish", ...STEP_KINDS];
    const rows = SCENARIOS.filter((scenario) => measurements.some((m) => m.scenario === scenario)).map((scenario) => {
        const of = measurements.filter((m) => m.scenario === scenario);
        const cell = (values: number[]) => {
            const s = stats(values);
            return s.min === s.max ? `${s.median}` : `${s.median} (${s.min}–${s.max})`;
        };
        return [
            scenario,
            cell(of.map((m) => m.wallSeconds)),
            ...(["startup", "program", "steps", "finish"] as const).map((p) => cell(of.map((m) => m.phases[p]))),
            ...STEP_KINDS.map((k) => cell(of.map((m) => m.byKind[k]))),
        ];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    lines.push([header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i])).join("  ")).join("\n"));
    lines.push(
        "",
        `conditions: ${conditions.cpuCount} × ${conditions.cpuModel}, ${conditions.memoryGiB} GiB; ${conditions.engine} ${conditions.engineVersion}; ${conditions.kindVersion}; Pulumi ${conditions.pulumiVersion}; Node ${conditions.node}`,
    );
    lines.push(
        `images present before the first run: ${Object.entries(conditions.imagesPrebuilt)
            .map(([ref, present]) => `${ref.split("/").pop()}=${present ? "yes" : "no"}`)
            .join(", ")}`,
    );
    return lines.join("\n");
}

/** The file whose change the `change` scenario makes: given, or the smoke stack's api page. */
function changeFile(stack: string, given?: string): string {
    const file = given
        ? path.resolve(given)
        : stack.startsWith("smoke-e2e")
          ? path.join(PROJECT_ROOT, "manifests", "smoke", "api", "index.html")
          : undefined;
    if (!file)
        throw new UsageError(
            "bench:setup: `--change`: name a file one of the stack's images keeps (for a Kubernaut lane, one under its checkout)",
        );
    if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile())
        throw new UsageError(`bench:setup: \`--change\`: \`${file}\` is not a file`);
    return file;
}

export const run = command("bench:setup", {
    description:
        "measure a stack's cold (empty image cache), cached, no-op and one-change up, N times each, with the time per kind of step",
    positionals: [{ name: "stack", description: "stack name" }],
    flags: {
        runs: { type: "string", value: "N", description: "runs per scenario (default 3)" },
        change: {
            type: "string",
            value: "FILE",
            description: "the kept file the one-change scenario changes (restored afterwards)",
        },
        scenarios: {
            type: "string",
            value: "LIST",
            description: "which scenarios, comma-separated (default cold,cached,noop,change)",
        },
        json: { type: "boolean", description: "print the conditions and every measurement as JSON" },
    },
    schema: z.object({
        _: z.tuple([z.string()]),
        runs: z.coerce.number().int().min(1).max(20).default(3),
        change: z.string().optional(),
        scenarios: z
            .string()
            .default(SCENARIOS.join(","))
            .transform((v) => v.split(","))
            .pipe(z.array(z.enum(SCENARIOS)).min(1)),
        json: z.boolean().optional(),
    }),
    async run(values, io) {
        const [stack] = values._;
        const { conditions, measurements } = await bench(
            stack,
            values.runs,
            changeFile(stack, values.change),
            values.scenarios,
            io,
        );
        io.out(
            values.json
                ? JSON.stringify({ stack, conditions, measurements }, null, 2)
                : benchTable(stack, conditions, measurements),
        );
        return measurements.every((m) => m.exitCode === 0) ? 0 : 1;
    },
});

if (isMain(import.meta.url)) await main("bench:setup", run);
