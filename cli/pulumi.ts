/**
 * `npm run up|preview|destroy -- <stack> [pulumi flags]`: the Pulumi CLI with this project's defaults, so a fresh
 * machine needs no setup. The CLI comes from the project's `pulumi` dependency (it downloads the CLI on first use);
 * state stays in `.pulumi-state/` (Pulumi.yaml's backend); secrets use a passphrase, empty unless
 * `PULUMI_CONFIG_PASSPHRASE` is set; the stack is created if it does not exist.
 */
import { pathToFileURL } from "node:url";
import { execa } from "execa";
import { PROJECT_ROOT } from "../lib/stack-scope.js";
import { main, UsageError, type StepIO } from "../lib/step-cli.js";

export const VERBS = ["up", "preview", "destroy"] as const;
export type Verb = (typeof VERBS)[number];

export interface Invocation {
    /** Each entry is one `pulumi` argv, run in order. */
    readonly commands: string[][];
    readonly env: Record<string, string>;
}

/** The pulumi command lines for `verb` on `stack`, and the environment they run with. */
export function pulumiInvocation(verb: Verb, stack: string, extra: readonly string[], env: NodeJS.ProcessEnv): Invocation {
    const runEnv: Record<string, string> = { PULUMI_CONFIG_PASSPHRASE: env.PULUMI_CONFIG_PASSPHRASE ?? "" };
    // A kind cluster is disposable: when it is already gone, destroy drops its objects instead of failing.
    if (verb === "destroy") runEnv.PULUMI_K8S_DELETE_UNREACHABLE = env.PULUMI_K8S_DELETE_UNREACHABLE ?? "true";
    return {
        commands: [
            ["stack", "select", "--create", "--secrets-provider", "passphrase", stack],
            [verb, "--stack", stack, ...extra],
        ],
        env: runEnv,
    };
}

export async function run(argv: readonly string[], io: StepIO): Promise<number> {
    const [verb, stack, ...extra] = argv;
    if (!VERBS.includes(verb as Verb) || !stack || stack.startsWith("-")) {
        throw new UsageError(`usage: npm run ${VERBS.join("|")} -- <stack> [pulumi flags]`);
    }
    const invocation = pulumiInvocation(verb as Verb, stack, extra, io.env);
    for (const args of invocation.commands) {
        const result = await execa("npx", ["--no-install", "pulumi", ...args], { cwd: PROJECT_ROOT, env: invocation.env, stdio: "inherit", reject: false });
        if (result.exitCode !== 0) return result.exitCode ?? 1;
    }
    return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main("pulumi", run);
