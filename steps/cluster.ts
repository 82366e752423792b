/**
 * `cluster` step: create, delete and observe one kind cluster.
 *
 *   cluster create --name N (--config FILE | --config-yaml TEXT) --kubeconfig PATH --state-dir DIR
 *                  [--wait-seconds 60] [--ensure-dir DIR]... [--write-file PATH=TEXT]... [--engine docker|podman]
 *                  [--engine-bin B] [--kind BIN]
 *   cluster delete --name N --kubeconfig PATH --state-dir DIR [...]
 * cluster status --name N --state-dir DIR [...] prints {"name","present","observable","exists","identity","record"}
 *
 * `create` prints `{"name","identity","kubeconfigPath","kubeconfig","adopted","seconds"}`; the kubeconfig is a
 * credential, so the Pulumi command that runs this step marks stdout secret and does not log it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import {
    createDecision,
    readRecord,
    recordedClusterPresent,
    removeRecord,
    writeRecord,
    type ObservedCluster,
} from "./support/cluster-record.js";
import { resolveEngine, type ContainerEngine } from "../lib/engine.js";
import { identityArgs, kindArgs, kindAvailable, kindTool, type KindTool } from "./support/kind.js";
import { clusterNameProblem } from "../lib/names.js";
import { runTool } from "../lib/run-tool.js";
import { isDryRun } from "./support/flags.js";
import { verbSpec, type Flags as StepFlags } from "./support/verb.js";
import { isMain, main, seconds, UsageError, verbs, type StepIO } from "../lib/command-line.js";

type Flags = ClusterFlags<"create">;
/** Every verb of the step takes the same flags. */
type ClusterFlags<V extends "create" | "delete" | "status"> = StepFlags<"cluster", V>;

interface Context {
    readonly flags: Flags;
    readonly io: StepIO;
    readonly engine: ContainerEngine;
    readonly kind: KindTool;
    readonly stateDir: string;
}

function context(verb: string, flags: Flags, io: StepIO): Context {
    const problem = clusterNameProblem(flags.name);
    if (problem) throw new UsageError(`cluster ${verb}: \`--name\`: ${problem}`);
    const engine = resolveEngine({ requested: flags.engine, bin: flags["engine-bin"], env: io.env });
    return {
        flags,
        io,
        engine,
        kind: kindTool(engine, io.env, flags.kind),
        stateDir: path.resolve(flags["state-dir"]),
    };
}

function kind(ctx: Context, args: string[], doing: string, allowFailure = false) {
    return runTool(ctx.kind.bin, args, {
        doing,
        env: ctx.kind.env,
        allowFailure,
        onStderrLine: (l) => ctx.io.log(`  ${l}`),
    });
}

/** Whether the cluster exists and which control-plane container it is. */
export async function observeCluster(
    kindBin: KindTool,
    engine: ContainerEngine,
    name: string,
    env: NodeJS.ProcessEnv = process.env,
): Promise<ObservedCluster> {
    if (!kindAvailable(kindBin, env)) return { observable: false, exists: false };
    const clusters = await runTool(kindBin.bin, kindArgs.getClusters(), {
        doing: "list kind clusters",
        env: kindBin.env,
    });
    if (
        !clusters.stdout
            .split("\n")
            .map((l) => l.trim())
            .includes(name)
    )
        return { observable: true, exists: false };
    const inspected = await runTool(engine.bin, identityArgs(name), {
        doing: `inspect cluster \`${name}\``,
        allowFailure: true,
    });
    return { observable: true, exists: true, identity: inspected.exitCode === 0 ? inspected.stdout.trim() : undefined };
}

function requireFlag<T>(value: T | undefined, flag: string): T {
    if (!value) throw new UsageError(`\`--${flag}\` is required`);
    return value;
}

/** The kind config as a file kind can read: the given one, or the given config written into the state directory. */
function configFile(ctx: Context): string {
    if (ctx.flags.config) return path.resolve(ctx.flags.config);
    const config = requireFlag(ctx.flags["config-yaml"], "config-yaml");
    const file = path.join(ctx.stateDir, "kind-config.yaml");
    fs.mkdirSync(ctx.stateDir, { recursive: true });
    fs.writeFileSync(file, stringify(config, { lineWidth: 0 }));
    return file;
}

/** `--write-file` entries, each inside the state directory: the step writes nowhere else. */
function filesToWrite(ctx: Context): [string, string][] {
    return ctx.flags["write-file"].map((entry) => {
        const eq = entry.indexOf("=");
        const file = path.resolve(entry.slice(0, eq));
        const relative = path.relative(ctx.stateDir, file);
        if (relative.startsWith("..") || path.isAbsolute(relative))
            throw new UsageError(`\`--write-file\`: \`${file}\` is outside the state directory \`${ctx.stateDir}\``);
        return [file, entry.slice(eq + 1)];
    });
}

async function create(flags: Flags, io: StepIO): Promise<number> {
    const ctx = context("create", flags, io);
    const { name } = ctx.flags;
    const kubeconfigPath = path.resolve(requireFlag(ctx.flags.kubeconfig, "kubeconfig"));
    if (isDryRun(flags, io.env)) {
        requireFlag<unknown>(ctx.flags.config ?? ctx.flags["config-yaml"], "config-yaml");
        filesToWrite(ctx);
        io.out(
            JSON.stringify({
                dryRun: true,
                commands: [
                    [
                        ctx.kind.bin,
                        ...kindArgs.create(
                            name,
                            path.join(ctx.stateDir, "kind-config.yaml"),
                            kubeconfigPath,
                            ctx.flags["wait-seconds"],
                        ),
                    ],
                ],
            }),
        );
        return 0;
    }
    const config = configFile(ctx);
    const started = performance.now();

    await kind(ctx, kindArgs.version(), "run kind (is it installed? set `KUBERNAUT_E2E_KIND` or put it on PATH)");
    const record = readRecord(ctx.stateDir);
    const observed = await observeCluster(ctx.kind, ctx.engine, name, io.env);
    const decision = createDecision(record, observed);
    if (decision === "refuse-foreign") {
        throw new Error(
            `a kind cluster named \`${name}\` exists but this stack did not create it; delete it with \`kind delete cluster --name ${name}\` or set another \`clusterName\``,
        );
    }
    if (decision === "replace-own") {
        io.log(`cluster create: deleting \`${name}\`, left over from an interrupted or drifted run`);
        await kind(ctx, kindArgs.delete(name, kubeconfigPath), `delete leftover cluster \`${name}\``);
    }
    if (decision !== "adopt") {
        writeRecord(ctx.stateDir, { name, phase: "creating" });
        fs.mkdirSync(path.dirname(kubeconfigPath), { recursive: true });
        // Podman refuses a bind mount whose source is missing; the directories are the stack's own.
        for (const dir of ctx.flags["ensure-dir"]) fs.mkdirSync(dir, { recursive: true, mode: 0o777 });
        for (const [file, text] of filesToWrite(ctx)) {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, text);
        }
        io.log(`cluster create: creating \`${name}\` with ${ctx.engine.name}`);
        try {
            await kind(
                ctx,
                kindArgs.create(name, config, kubeconfigPath, ctx.flags["wait-seconds"]),
                `create kind cluster \`${name}\``,
            );
        } catch (err) {
            // kind removes a failed cluster itself unless interrupted; make sure nothing half-made stays behind.
            await kind(ctx, kindArgs.delete(name, kubeconfigPath), `clean up failed cluster \`${name}\``, true);
            removeRecord(ctx.stateDir);
            throw err;
        }
    }
    const identity = (
        await runTool(ctx.engine.bin, identityArgs(name), { doing: `inspect cluster \`${name}\`` })
    ).stdout.trim();
    const kubeconfig = (await kind(ctx, kindArgs.getKubeconfig(name), `read the kubeconfig of \`${name}\``)).stdout;
    fs.writeFileSync(kubeconfigPath, `${kubeconfig}\n`, { mode: 0o600 });
    fs.chmodSync(kubeconfigPath, 0o600); // kind may have created the file with a wider mode
    writeRecord(ctx.stateDir, { name, phase: "ready", identity });
    io.log(
        `cluster create: ${decision === "adopt" ? "adopted" : "created"} \`${name}\` (${identity.slice(0, 12)}) in ${seconds(started)} s`,
    );
    io.out(
        JSON.stringify({
            name,
            identity,
            kubeconfigPath,
            kubeconfig,
            adopted: decision === "adopt",
            seconds: seconds(started),
        }),
    );
    return 0;
}

async function remove(flags: Flags, io: StepIO): Promise<number> {
    const ctx = context("delete", flags, io);
    const kubeconfigPath = ctx.flags.kubeconfig ? path.resolve(ctx.flags.kubeconfig) : undefined;
    if (isDryRun(flags, io.env)) {
        io.out(
            JSON.stringify({
                dryRun: true,
                commands: [[ctx.kind.bin, ...kindArgs.delete(ctx.flags.name, kubeconfigPath)]],
            }),
        );
        return 0;
    }
    const started = performance.now();
    // `kind delete cluster` succeeds when the cluster is already gone, so a destroy after a reboot still completes.
    await kind(ctx, kindArgs.delete(ctx.flags.name, kubeconfigPath), `delete kind cluster \`${ctx.flags.name}\``);
    removeRecord(ctx.stateDir);
    // The rendered config goes with the cluster; the directory too once empty.
    fs.rmSync(path.join(ctx.stateDir, "kind-config.yaml"), { force: true });
    try {
        fs.rmdirSync(ctx.stateDir);
    } catch {
        // not empty, or already gone
    }
    if (kubeconfigPath) fs.rmSync(kubeconfigPath, { force: true });
    io.out(JSON.stringify({ name: ctx.flags.name, deleted: true, seconds: seconds(started) }));
    return 0;
}

async function status(flags: Flags, io: StepIO): Promise<number> {
    const ctx = context("status", flags, io);
    if (isDryRun(flags, io.env)) {
        io.out(JSON.stringify({ dryRun: true, present: true, commands: [[ctx.kind.bin, ...kindArgs.getClusters()]] }));
        return 0;
    }
    const observed = await observeCluster(ctx.kind, ctx.engine, ctx.flags.name, io.env);
    const record = readRecord(ctx.stateDir);
    io.out(
        JSON.stringify({
            name: ctx.flags.name,
            present: recordedClusterPresent(record, observed),
            ...observed,
            record: record ?? null,
        }),
    );
    return 0;
}

export const run = verbs("cluster", "Create, delete and observe one kind cluster.", {
    create: verbSpec("cluster", "create", create),
    delete: verbSpec("cluster", "delete", remove),
    status: verbSpec("cluster", "status", status),
});

if (isMain(import.meta.url)) await main("cluster", run);
