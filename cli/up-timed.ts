/**
 * `npm run up:timed -- <stack> [pulumi up flags]`: `pulumi up` with an event log, then its timeline in the stack's
 * reports folder (`.work/<stack>/reports/<time>/`): `events.jsonl`, `graph.json` (`pulumi stack export`),
 * `timeline.json`, `timeline.txt`, `timeline.svg`, and `environment.json` — the machine, the engine, kind and Pulumi
 * versions, and whether each image was already built — so two reports can be compared fairly.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execa } from "execa";
import { z } from "zod";
import { resolveEngine } from "../lib/engine.js";
import { planStack } from "../tools/plan-stack.js";
import { PROJECT_ROOT, stackScope } from "../lib/stack-scope.js";
import { command, isMain, main, type StepIO } from "../lib/command-line.js";
import { ensureFileBackend, resolvePulumiCli, EVENT_LOG_ENV } from "../lib/pulumi-cli.js";
import { readGraph } from "../tools/timeline/graph.js";
import { buildTimeline, timelineJson, timelineTable } from "../tools/timeline/report.js";
import { parseEventLog } from "../tools/timeline/steps.js";
import { ganttSvg } from "../tools/timeline/svg.js";
import { imageExists } from "../lib/images.js";
import { pulumiInvocation } from "./pulumi.js";

/** A command's first output line, or what went wrong, for the environment record. */
async function versionOf(file: string, args: string[]): Promise<string> {
    const result = await execa(file, args, { reject: false });
    return result.exitCode === 0
        ? String(result.stdout).split("\n")[0].trim()
        : `unavailable (${String(result.stderr || result.shortMessage)
              .split("\n")[0]
              .trim()})`;
}

export interface RunEnvironment {
    readonly cpuModel: string;
    readonly cpuCount: number;
    readonly memoryGiB: number;
    readonly engine: string;
    readonly engineVersion: string;
    readonly kindVersion: string;
    readonly pulumiVersion: string;
    readonly node: string;
    /** Image ref → whether it existed before the run (a build was skipped). */
    readonly imagesPrebuilt: Record<string, boolean>;
}

export async function runEnvironment(
    imageRefs: readonly string[],
    env: NodeJS.ProcessEnv = process.env,
    pulumiBin = "pulumi",
): Promise<RunEnvironment> {
    const engine = resolveEngine({ env, verify: false });
    const cpus = os.cpus();
    const prebuilt: Record<string, boolean> = {};
    for (const ref of imageRefs) prebuilt[ref] = await imageExists(engine, ref);
    return {
        cpuModel: cpus[0]?.model ?? "unknown",
        cpuCount: cpus.length,
        memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
        engine: engine.name,
        engineVersion: await versionOf(engine.bin, ["version", "--format", "{{.Server.Version}}"]),
        kindVersion: await versionOf(env.KUBERNAUT_E2E_KIND ?? "kind", ["version"]),
        pulumiVersion: await versionOf(pulumiBin, ["version"]),
        node: process.version,
        imagesPrebuilt: prebuilt,
    };
}

/** The argv of the timed `up`: the user's flags, plus the event log. */
export function timedUpArgs(stack: string, extra: readonly string[], eventLog: string): string[] {
    return [...pulumiInvocation("up", stack, [...extra, "--event-log", eventLog], {}).commands[1]];
}

async function timedUp(stack: string, extra: readonly string[], io: StepIO): Promise<number> {
    const dir = path.join(stackScope(stack).reportsDir, new Date().toISOString().replace(/[:.]/g, "-"));
    fs.mkdirSync(dir, { recursive: true });
    const eventLog = path.join(dir, "events.jsonl");

    const plan = await planStack(stack);
    const refs = Object.values((plan.outputs.images as Record<string, string> | undefined) ?? {}).filter(
        (r) => typeof r === "string",
    );
    const cli = await resolvePulumiCli(io.env);
    io.log(`up:timed: using ${cli.version} from ${cli.source} (${cli.bin})`);
    fs.writeFileSync(
        path.join(dir, "environment.json"),
        `${JSON.stringify(await runEnvironment(refs, io.env, cli.bin), null, 2)}\n`,
    );

    ensureFileBackend();
    const invocation = pulumiInvocation("up", stack, [], io.env);
    const pulumi = (args: string[], stdio: "inherit" | "pipe") =>
        execa(cli.bin, args, {
            cwd: PROJECT_ROOT,
            env: { ...cli.env, ...invocation.env, ...EVENT_LOG_ENV },
            stdio,
            reject: false,
        });
    const selected = await pulumi(invocation.commands[0], "inherit");
    if (selected.exitCode !== 0) return selected.exitCode ?? 1;
    const up = await pulumi(timedUpArgs(stack, extra, eventLog), "inherit");
    const exported = await pulumi(["stack", "export", "--stack", stack], "pipe");
    if (exported.exitCode === 0) fs.writeFileSync(path.join(dir, "graph.json"), String(exported.stdout));

    if (fs.existsSync(eventLog)) {
        const timeline = buildTimeline(
            parseEventLog(fs.readFileSync(eventLog, "utf8")),
            exported.exitCode === 0 ? readGraph(JSON.parse(String(exported.stdout))) : undefined,
        );
        fs.writeFileSync(path.join(dir, "timeline.json"), `${timelineJson(timeline)}\n`);
        fs.writeFileSync(path.join(dir, "timeline.txt"), `${timelineTable(timeline)}\n`);
        fs.writeFileSync(
            path.join(dir, "timeline.svg"),
            ganttSvg(timeline.steps, {
                title: `${stack}: ${timeline.wallSeconds} s`,
                criticalPath: new Set(timeline.criticalPath),
            }),
        );
        io.log(timelineTable(timeline));
    }
    io.out(dir);
    return up.exitCode ?? 1;
}

export const run = command("up:timed", {
    description:
        "pulumi up with an event log, then its timeline in the stack's reports folder; flags after the stack go to pulumi up",
    positionals: [
        { name: "stack", description: "stack name" },
        { name: "pulumi-flags", description: "flags for pulumi up", required: false, variadic: true },
    ],
    passThrough: true,
    schema: z.object({ _: z.array(z.string()).min(1) }),
    run: (values, io) => timedUp(values._[0], values._.slice(1), io),
});

if (isMain(import.meta.url)) await main("up:timed", run);
