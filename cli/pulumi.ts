/**
 * `npm run up|preview|destroy -- <stack> [pulumi flags]`, and `npm run config -- <stack> set <key> <value>` (any
 * `pulumi config` subcommand): the Pulumi CLI with this project's defaults, so a fresh machine needs no setup: the
 * offline toolchain's CLI, one on PATH or the project's `pulumi` package (see `lib/pulumi-cli.ts`); state in the
 * backend `Pulumi.yaml` names (its directory created); a passphrase secrets provider, empty unless the user set
 * `PULUMI_CONFIG_PASSPHRASE` or `PULUMI_CONFIG_PASSPHRASE_FILE`; the stack created if it does not exist.
 *
 * The engine and its plugins get a private `TMPDIR`, removed when the command ends: the Kubernetes provider writes the
 * cluster's kubeconfig (its admin key included) to a new temporary file each time it is configured and never removes
 * it (`writeKubeconfigToFile` in pulumi-kubernetes), which would leave one credential file per run in `/tmp`.
 * Ctrl-C goes to the CLI, which cancels gracefully; this wrapper waits for it rather than dying first.
 *
 * An `up` records its event log there too; when it fails on a workload that never became ready, the wrapper prints
 * that workload's Pods, their last events and log lines (`tools/diagnose.ts`), which the provider's message lacks.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execa } from "execa";
import { z } from "zod";
import { command, isMain, main, UsageError, type StepIO } from "../lib/command-line.js";
import { namespaceConfig, readStackConfigFile } from "../lib/config.js";
import { ensureFileBackend, EVENT_LOG_ENV, pulumiEnv, resolvePulumiCli, selectStackArgs } from "../lib/pulumi-cli.js";
import { PROJECT_ROOT } from "../lib/stack-scope.js";
import { KUBECTL_BIN_ENV } from "../lib/executables.js";
import { scopeOfStack } from "../stacks/programs.js";
import { describeFailures, failedWorkloads } from "../tools/diagnose.js";

export const VERBS = ["up", "preview", "destroy", "config"] as const;
export type Verb = (typeof VERBS)[number];

export interface Invocation {
    /** Each entry is one `pulumi` argv, run in order. */
    readonly commands: string[][];
    readonly env: Record<string, string>;
}

/** The pulumi command lines for `verb` on `stack`, and the environment they run with. */
export function pulumiInvocation(
    verb: Verb,
    stack: string,
    extra: readonly string[],
    env: NodeJS.ProcessEnv,
): Invocation {
    // `pulumi config <subcommand> …` takes the stack after its own arguments; the stack is created first either way,
    // so config can be set before the first `up`.
    const run = verb === "config" ? ["config", ...extra, "--stack", stack] : [verb, "--stack", stack, ...extra];
    return { commands: [selectStackArgs(stack), run], env: pulumiEnv(verb, env) };
}

/** Runs `pulumi <verb>` on `stack` as `npm run <verb>` does (output to the terminal); returns its exit code. */
export async function runPulumi(verb: Verb, stack: string, extra: readonly string[], io: StepIO): Promise<number> {
    const cli = await resolvePulumiCli(io.env);
    io.log(`${verb}: using ${cli.version} from ${cli.source} (${cli.bin})`);
    ensureFileBackend();
    const invocation = pulumiInvocation(verb, stack, extra, io.env);
    const engineTemp = fs.mkdtempSync(path.join(os.tmpdir(), "kubernaut-e2e-engine-"));
    const waitForCli = () => io.log(`${verb}: interrupted: waiting for pulumi to stop cleanly`);
    process.on("SIGINT", waitForCli);
    const eventLog = path.join(engineTemp, "events.jsonl");
    const userLog = extra.some((a) => a === "--event-log" || a.startsWith("--event-log="));
    const recordsEvents = verb === "up" && !userLog;
    try {
        for (const [i, args] of invocation.commands.entries()) {
            const last = i === invocation.commands.length - 1;
            const env = {
                ...cli.env,
                ...invocation.env,
                TMPDIR: engineTemp,
                ...(last && (recordsEvents || userLog) ? EVENT_LOG_ENV : {}),
            };
            const result = await execa(cli.bin, last && recordsEvents ? [...args, "--event-log", eventLog] : args, {
                cwd: PROJECT_ROOT,
                env,
                stdio: "inherit",
                reject: false,
            });
            if (result.exitCode !== 0) {
                if (last && recordsEvents) await diagnose(stack, eventLog, io);
                return result.exitCode ?? 1;
            }
        }
        return 0;
    } finally {
        process.off("SIGINT", waitForCli);
        fs.rmSync(engineTemp, { recursive: true, force: true });
    }
}

/** After a failed `up`: why each workload the engine reports failed did not become ready. */
async function diagnose(stack: string, eventLog: string, io: StepIO): Promise<void> {
    if (!fs.existsSync(eventLog)) return;
    const failed = failedWorkloads(fs.readFileSync(eventLog, "utf8").split("\n"));
    const kubeconfig = scopeOfStack(stack, namespaceConfig(readStackConfigFile(stack))).kubeconfigPath;
    if (!failed.length || !fs.existsSync(kubeconfig)) return;
    io.log(await describeFailures(failed, { kubectl: io.env[KUBECTL_BIN_ENV] ?? "kubectl", kubeconfig }));
}

export async function run(argv: readonly string[], io: StepIO): Promise<number> {
    const [verb, ...rest] = argv;
    if (!VERBS.includes(verb as Verb))
        throw new UsageError(
            `pulumi: usage: npm run up|preview|destroy -- <stack> [pulumi flags], or npm run config -- <stack> <pulumi config arguments>`,
        );
    return command(verb, {
        description: `pulumi ${verb} of a stack, with this project's defaults (local state, passphrase secrets, stack created if missing); flags after the stack go to pulumi`,
        positionals: [
            { name: "stack", description: "stack name, e.g. smoke-e2e" },
            { name: "pulumi-flags", description: `flags for pulumi ${verb}`, required: false, variadic: true },
        ],
        passThrough: true,
        schema: z.object({ _: z.array(z.string()).min(1) }),
        run: (values, io2) => runPulumi(verb as Verb, values._[0], values._.slice(1), io2),
    })(rest, io);
}

if (isMain(import.meta.url)) await main("pulumi", run);
