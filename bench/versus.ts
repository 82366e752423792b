/**
 * `npm run bench:versus -- <lane> [--runs N]`: Kubernaut's own E2E setup of a lane (its Go code, env-gated for a
 * machine without a registry: `tools/versus/kubernaut-setup.ts`) and our `up` of the lane's stack, on this machine,
 * alternately, from the same state: the lane's cluster absent, the service images removed and Podman's dangling layers
 * pruned, the toolchain's stand-ins (builder, base, PostgreSQL, Redis, node image) present for both. Then our no-op
 * `up`, our `up` after a one-line change to the service's `main.go`, our `destroy`, and our `up` after it.
 *
 * Both sides end with the service under test Ready and DataStorage answering. Kubernaut's total leaves out its
 * ActionType seeding and the suite's identity, which our `up` includes; its images build with `--no-cache` (as its
 * code does) and SignalProcessing's always with coverage. Each side builds from its own copy of the same checkout;
 * the lane's stack (`<lane>`) is destroyed before and after.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { execa } from "execa";
import { z } from "zod";
import { runEnvironment } from "../cli/up-timed.js";
import { command, isMain, main, seconds, UsageError, type StepIO } from "../lib/command-line.js";
import { namespaceConfig, readStackConfigFile } from "../lib/config.js";
import { resolveKubernautRoot } from "../lib/kubernaut-source.js";
import { PROJECT_ROOT } from "../lib/stack-scope.js";
import { toolchainEnv } from "../lib/toolchain/env.js";
import { toolchainLayout } from "../lib/toolchain/layout.js";
import { readToolchainProfile, type ToolchainProfile } from "../lib/toolchain/profile.js";
import { planStack } from "../tools/plan-stack.js";
import { ganttSvg } from "../tools/timeline/svg.js";
import { buildTimeline } from "../tools/timeline/report.js";
import { parseEventLog, type Step } from "../tools/timeline/steps.js";
import { compileSuite, copyCheckout } from "../tools/handoff/build.js";
import { suiteGoEnv } from "../tools/handoff/target.js";
import {
    KUBERNAUT_SETUP_LANES,
    SETUP_ONLY_TEST,
    setupOnlyInputs,
    setupPhases,
} from "../tools/versus/kubernaut-setup.js";
import { changeMarker, measure, removeImages, stats, timedUp, type Measurement } from "./setup.js";

/** Where Kubernaut's setup pulls PostgreSQL and Redis from: the toolchain's are tagged so. */
const KUBERNAUT_THIRD_PARTY = {
    postgres: "docker.io/library/postgres:16-alpine",
    redis: "quay.io/jordigilh/redis:7-alpine",
};

/** The Go file the one-change scenario touches: the service's own command, which only its image builds. */
const SERVICE_MAIN: Readonly<Record<string, string>> = {
    "signalprocessing-e2e": "cmd/signalprocessing/main.go",
    "gateway-e2e": "cmd/gateway/main.go",
    "datastorage-e2e": "cmd/datastorage/main.go",
};

/** Kubernaut's image repositories per lane (its tags are `<service>-<8 hex>`). */
const KUBERNAUT_IMAGES: Readonly<Record<string, readonly string[]>> = {
    "signalprocessing-e2e": ["localhost/kubernaut/signalprocessing", "localhost/kubernaut/datastorage"],
    "gateway-e2e": ["localhost/gateway", "localhost/kubernaut/datastorage"],
    "datastorage-e2e": ["localhost/kubernaut/datastorage"],
};

interface TheirRun {
    readonly run: number;
    readonly wallSeconds: number;
    readonly ok: boolean;
    readonly phases: ReturnType<typeof setupPhases>;
    readonly output: string;
}

interface Context {
    readonly stack: string;
    readonly io: StepIO;
    readonly podman: string;
    readonly kind: string;
    readonly env: Record<string, string>;
    readonly dir: string;
}

async function sh(ctx: Context, file: string, args: string[], env: Record<string, string> = {}) {
    return execa(file, args, { env: { ...ctx.env, ...env }, reject: false, all: true });
}

/** Images of either side's service builds, and Podman's dangling layers: the state both cold runs start from. */
async function clearServiceImages(ctx: Context, ours: readonly string[]): Promise<void> {
    const listed = await sh(ctx, ctx.podman, ["images", "--format", "{{.Repository}}:{{.Tag}}"]);
    const theirs = String(listed.stdout)
        .split("\n")
        .filter((ref) => KUBERNAUT_IMAGES[ctx.stack].some((repo) => ref.startsWith(`${repo}:`)));
    await removeImages([...ours, ...theirs], ctx.io);
    await sh(ctx, ctx.podman, ["image", "prune", "--force"]);
}

async function destroyOurs(ctx: Context): Promise<number> {
    const started = performance.now();
    await execa("node", [path.join(PROJECT_ROOT, "cli/launch.mjs"), "cli/pulumi", "destroy", ctx.stack, "--yes"], {
        cwd: PROJECT_ROOT,
        env: ctx.io.env,
        reject: false,
        stdio: "ignore",
    });
    return seconds(started);
}

/** One run of Kubernaut's setup from its own starting point: no cluster, its PostgreSQL and Redis names present. */
async function runTheirs(
    ctx: Context,
    run: number,
    binary: string,
    packageDir: string,
    tree: string,
    profile: Profile,
) {
    const cluster = KUBERNAUT_SETUP_LANES[ctx.stack].cluster;
    await sh(ctx, ctx.kind, ["delete", "cluster", "--name", cluster]);
    await sh(ctx, ctx.podman, ["tag", profile.postgres, KUBERNAUT_THIRD_PARTY.postgres]);
    await sh(ctx, ctx.podman, ["tag", profile.redis, KUBERNAUT_THIRD_PARTY.redis]);
    // Gateway's kind config mounts ./coverdata from the checkout; Kubernaut's Makefile makes it.
    fs.mkdirSync(path.join(tree, "coverdata"), { recursive: true });
    const started = performance.now();
    const result = await execa(binary, [`-test.run=^${SETUP_ONLY_TEST}$`, "-test.v", "-test.timeout=0"], {
        cwd: packageDir,
        env: {
            ...ctx.env,
            E2E_BUILDER_IMAGE: profile.goBuilder,
            E2E_BASE_IMAGE: profile.ubiBase,
            E2E_KIND_NODE_IMAGE: profile.nodeImage,
            E2E_SKIP_KIND_VERSION_CHECK: "1",
            E2E_OFFLINE_IMAGES: "1",
            E2E_PRELOAD_IMAGES: Object.values(KUBERNAUT_THIRD_PARTY).join(" "),
        },
        reject: false,
        all: true,
    });
    const wallSeconds = seconds(started);
    const output = String(result.all);
    fs.writeFileSync(path.join(ctx.dir, `kubernaut-${run}.log`), output);
    await sh(ctx, ctx.kind, ["delete", "cluster", "--name", cluster]);
    const phases = setupPhases(output);
    const ok = result.exitCode === 0 && phases.total !== undefined;
    ctx.io.log(`bench:versus: ${ctx.stack} run ${run} kubernaut: ${wallSeconds} s${ok ? "" : " (FAILED)"}`);
    if (!ok) ctx.io.log(output.split("\n").slice(-15).join("\n"));
    return { run, wallSeconds, ok, phases, output: path.join(ctx.dir, `kubernaut-${run}.log`) } satisfies TheirRun;
}

interface Profile {
    readonly nodeImage: string;
    readonly goBuilder: string;
    readonly ubiBase: string;
    readonly postgres: string;
    readonly redis: string;
}

function requireProfile(profile: ToolchainProfile | undefined): Profile {
    const needed = {
        nodeImage: profile?.nodeImage,
        goBuilder: profile?.images.goBuilder,
        ubiBase: profile?.images.ubiBase,
        postgres: profile?.images.postgres,
        redis: profile?.images.redis,
    };
    const missing = Object.entries(needed).filter(([, v]) => !v);
    if (missing.length)
        throw new UsageError(
            `bench:versus: both sides run on the offline toolchain's images; its profile lacks ${missing.map(([k]) => k).join(", ")} (npm run setup)`,
        );
    return needed as Profile;
}

const ratio = (ours?: number, theirs?: number) =>
    ours !== undefined && theirs ? Math.round((ours / theirs) * 100) / 100 : undefined;

async function versus(stack: string, runs: number, io: StepIO): Promise<number> {
    const layout = toolchainLayout(io.env);
    const profile = requireProfile(readToolchainProfile(io.env));
    const values = namespaceConfig(readStackConfigFile(stack));
    if (values.kubernautRoot !== undefined)
        throw new UsageError(`bench:versus: stack \`${stack}\` sets kubernautRoot; the bench gives both sides a copy`);
    const { root } = resolveKubernautRoot(undefined, io.env, readToolchainProfile(io.env)?.kubernautRoot);
    const dir = path.join(PROJECT_ROOT, ".work", "bench", "versus", new Date().toISOString().replace(/[:.]/g, "-"));
    fs.mkdirSync(path.join(dir, "home", ".kube"), { recursive: true });
    const env = { ...toolchainEnv(layout, io.env), HOME: path.join(dir, "home") } as Record<string, string>;
    const ctx: Context = { stack, io, podman: "podman", kind: path.join(layout.binDir, "kind"), env, dir };

    io.log(`bench:versus: ${stack}: compiling Kubernaut's setup (setup-only test, env-gated offline changes)`);
    const work = path.join(PROJECT_ROOT, ".work", "bench", "versus");
    const theirs = await compileSuite(root, setupOnlyInputs(stack), {
        workDir: path.join(work, stack),
        goEnv: suiteGoEnv(io.env),
        log: io.log,
    });
    const checkout = path.join(work, "checkout");
    fs.rmSync(checkout, { recursive: true, force: true });
    copyCheckout(root, checkout);
    const change = path.join(checkout, SERVICE_MAIN[stack]);
    const original = fs.readFileSync(change, "utf8");
    const oursEnv = { ...io.env, KUBERNAUT_ROOT: checkout };
    const ourIo = { ...io, env: oursEnv };
    const refs = Object.values((await planStack(stack)).outputs.images as Record<string, string>);
    const conditions = await runEnvironment(refs, io.env, path.join(layout.binDir, "pulumi"));

    const theirRuns: TheirRun[] = [];
    const ours: Measurement[] = [];
    const destroys: number[] = [];
    const ourRun = async (scenario: string, run: number) => {
        const log = path.join(dir, `ours-${scenario}-${run}.jsonl`);
        const m = measure(scenario, run, log, await timedUp(stack, log, ourIo));
        ours.push(m);
        io.log(`bench:versus: ${stack} run ${run} ours ${scenario}: ${m.wallSeconds} s (${m.stepsRun} steps)`);
    };
    try {
        for (let run = 1; run <= runs; run++) {
            await destroyOurs(ctx);
            await clearServiceImages(ctx, refs);
            theirRuns.push(await runTheirs(ctx, run, theirs.binary, theirs.packageDir, theirs.tree, profile));
            await clearServiceImages(ctx, refs);
            await ourRun("cold", run);
            await ourRun("noop", run);
            fs.appendFileSync(change, changeMarker(change));
            await ourRun("change", run);
            fs.writeFileSync(change, original);
            destroys.push(await destroyOurs(ctx));
            await ourRun("after-destroy", run);
        }
    } finally {
        fs.writeFileSync(change, original);
        await destroyOurs(ctx);
    }
    const ok = theirRuns.filter((r) => r.ok);
    const median = (values: number[]) => (values.length ? stats(values).median : undefined);
    const theirCold = median(ok.map((r) => r.phases.total!));
    const ourMedian = (scenario: string) =>
        median(ours.filter((m) => m.scenario === scenario).map((m) => m.wallSeconds));
    const report = {
        stack,
        runs,
        conditions,
        kubernaut: {
            total: ok.length ? stats(ok.map((r) => r.phases.total!)) : undefined,
            phases: Object.fromEntries(
                (["build", "cluster", "load", "deploy"] as const).map((p) => [
                    p,
                    ok.some((r) => r.phases[p] !== undefined) ? stats(ok.flatMap((r) => r.phases[p] ?? [])) : undefined,
                ]),
            ),
            runs: theirRuns,
        },
        ours: Object.fromEntries(
            ["cold", "noop", "change", "after-destroy"].map((s) => [
                s,
                stats(ours.filter((m) => m.scenario === s).map((m) => m.wallSeconds)),
            ]),
        ),
        oursDestroy: stats(destroys),
        oursRuns: ours,
        ratios: {
            cold: ratio(ourMedian("cold"), theirCold),
            change: ratio(ourMedian("change"), theirCold),
            afterDestroy: ratio(ourMedian("after-destroy"), theirCold),
        },
    };
    fs.writeFileSync(path.join(dir, "versus.json"), `${JSON.stringify(report, null, 2)}\n`);
    fs.writeFileSync(path.join(dir, "versus.svg"), picture(stack, theirRuns, dir, ours));
    io.out(
        `versus ${stack}: cold ${ourMedian("cold")} s vs ${theirCold} s (${report.ratios.cold}x), ` +
            `no-op ${ourMedian("noop")} s, one-change ${ourMedian("change")} s, after-destroy ${ourMedian("after-destroy")} s`,
    );
    io.log(`bench:versus: report in ${dir}`);
    return ok.length === runs && ours.every((m) => m.exitCode === 0) ? 0 : 1;
}

/** Kubernaut's phases of its median run and our steps of our median cold run, on one time axis. */
function picture(stack: string, theirRuns: readonly TheirRun[], dir: string, ours: readonly Measurement[]): string {
    const median = <T>(xs: readonly T[], key: (x: T) => number) =>
        [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)];
    const theirs = median(
        theirRuns.filter((r) => r.ok),
        (r) => r.phases.total!,
    );
    const bars: Step[] = [];
    if (theirs) {
        let at = 0;
        for (const [phase, kind] of [
            ["build", "image build"],
            ["cluster", "cluster"],
            ["load", "image load"],
            ["deploy", "kubernetes object"],
        ] as const) {
            const length = theirs.phases[phase] ?? 0;
            bars.push(bar(`Kubernaut: ${phase}`, kind, at, at + length));
            at += length;
        }
    }
    const cold = median(
        ours.filter((m) => m.scenario === "cold" && m.exitCode === 0),
        (m) => m.wallSeconds,
    );
    if (cold) {
        const events = parseEventLog(fs.readFileSync(path.join(dir, `ours-cold-${cold.run}.jsonl`), "utf8"));
        const offset = cold.phases.startup;
        for (const s of buildTimeline(events).steps.filter((s) => s.op !== "same"))
            bars.push({ ...s, name: `ours: ${s.name}`, start: s.start + offset, end: s.end + offset });
    }
    return ganttSvg(bars, { title: `${stack}: Kubernaut's setup vs our cold up (medians)`, criticalPath: new Set() });
}

function bar(name: string, kind: Step["kind"], start: number, end: number): Step {
    return {
        urn: name,
        type: "phase",
        name,
        op: "create",
        start,
        end,
        seconds: end - start,
        status: "ok",
        parent: null,
        kind,
    };
}

export const run = command("bench:versus", {
    description:
        "time Kubernaut's own setup of a lane against our up of its stack on this machine, N alternating cold runs, " +
        "then our no-op, one-change, destroy and after-destroy",
    positionals: [{ name: "lane", description: `one of ${Object.keys(KUBERNAUT_SETUP_LANES).join(", ")}` }],
    flags: { runs: { type: "string", value: "N", description: "cold runs of each side (default 3)" } },
    schema: z.object({
        // `signalprocessing` or its stack's name, `signalprocessing-e2e`.
        _: z.tuple([
            z
                .string()
                .transform((lane) => (lane.endsWith("-e2e") ? lane : `${lane}-e2e`))
                .refine((stack) => Object.hasOwn(KUBERNAUT_SETUP_LANES, stack), {
                    message: `expected one of ${Object.keys(KUBERNAUT_SETUP_LANES).join(", ")}`,
                }),
        ]),
        runs: z.coerce.number().int().min(1).max(10).default(3),
    }),
    run: (values, io) => versus(values._[0], values.runs, io),
});

if (isMain(import.meta.url)) await main("bench:versus", run);
