/**
 * The provider's handler for {@link STEP_TYPE}: runs a step program as a process, the way a user runs it by hand, and
 * keeps its JSON result in state.
 *
 * - create and update run the `create` arguments; every step's create verb checks first whether its work is done, so
 *   an update (changed flags, same triggers) costs a status check.
 * - a change to `step` or `triggers` replaces the step; so does a failed `observe` check (the image or cluster it
 *   made is gone), which is how drift shows in `preview` without the program ever calling an engine.
 * - delete runs the stored `delete` arguments.
 * Inputs are stored as received, so secrets stay secrets; steps run with plain values.
 */
import { execa } from "execa";
import { z } from "zod";
import { plainValue, containsUnknown, sameValue } from "../lib/property-values.js";
import { STEP_NAMES, stepProcess, type StepInputs, type StepInvocation } from "../lib/step-contract.js";
import { canonicalArgv, stepArgv } from "../lib/step-verbs.js";
import { PROJECT_ROOT } from "../lib/stack-scope.js";
import type { EngineLog } from "./engine-log.js";
import type { Props, ResourceHandler } from "./handler.js";

/** A typed request, or (in state written before requests) the argument list itself. */
const invocationSchema = z.union([
    z.object({ verb: z.string().min(1), flags: z.record(z.string(), z.unknown()) }),
    z.array(z.string()).min(1, "needs at least the verb"),
]);
const inputsSchema = z.object({
    step: z.enum(STEP_NAMES),
    create: invocationSchema,
    delete: invocationSchema.optional(),
    observe: invocationSchema.optional(),
    triggers: z.array(z.unknown()).optional(),
    stdin: z.string().optional(),
    deleteBeforeReplace: z.boolean().optional(),
});

/** Input keys whose change replaces the step; any other change is an update. */
const REPLACE_KEYS = ["step", "triggers"] as const;
const UPDATE_KEYS = ["stdin", "deleteBeforeReplace"] as const;
/** Compared as the arguments they run: a request and the same arguments stored by an older version are no change. */
const INVOCATION_KEYS = ["create", "delete", "observe"] as const;

const isArgv = (invocation: StepInvocation): invocation is readonly string[] => Array.isArray(invocation);

/** The arguments `invocation` runs for `step`. */
export function argvOf(step: StepInputs["step"], invocation: StepInvocation): readonly string[] {
    if (isArgv(invocation)) return invocation;
    return stepArgv({ step, ...invocation });
}

export interface StepOutcome {
    readonly result: Record<string, unknown>;
}

const running = new Set<ReturnType<typeof execa>>();

/** Stops every running step (the engine's Cancel, on Ctrl-C): SIGINT first, so a step can clean up. */
export async function cancelRunningSteps(graceSeconds = 10): Promise<void> {
    const children = [...running];
    for (const child of children) child.kill("SIGINT");
    const timer = setTimeout(() => children.forEach((child) => child.kill("SIGKILL")), graceSeconds * 1000);
    await Promise.allSettled(children);
    clearTimeout(timer);
}

/** Runs `args` of `step`; resolves to its JSON result, or rejects with the step's own error message. */
export async function runStep(
    step: StepInputs["step"],
    args: readonly string[],
    options: { stdin?: string; onLine?: (line: string) => void } = {},
): Promise<StepOutcome> {
    const { file, args: argv } = stepProcess(step, args);
    const child = execa(file, argv, {
        cwd: PROJECT_ROOT,
        input: options.stdin,
        stdin: options.stdin === undefined ? "ignore" : "pipe",
        reject: false,
        encoding: "utf8",
    });
    running.add(child);
    const stderr: string[] = [];
    let pending = "";
    child.stderr?.on("data", (chunk: Buffer) => {
        const lines = (pending + chunk.toString("utf8")).split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) {
            stderr.push(line);
            options.onLine?.(line);
        }
    });
    const result = await child.finally(() => running.delete(child));
    if (pending) stderr.push(pending);
    if (result.exitCode !== 0) {
        const detail = stderr.slice(-30).join("\n").trim() || `exit code ${result.exitCode ?? result.signal}`;
        throw new Error(`step \`${step} ${args[0] ?? ""}\` failed:\n${detail}`);
    }
    const lastLine = String(result.stdout).trim().split("\n").pop() ?? "";
    try {
        return { result: lastLine ? (JSON.parse(lastLine) as Record<string, unknown>) : {} };
    } catch {
        throw new Error(`step \`${step} ${args[0] ?? ""}\` printed no JSON result, got \`${lastLine.slice(0, 200)}\``);
    }
}

function parseInputs(raw: Props): StepInputs {
    return inputsSchema.parse(plainValue(raw));
}

/** Stored state: the inputs as received (secrets still wrapped) plus the result. */
function outputs(rawInputs: Props, result: unknown): Props {
    const { result: _previous, ...inputs } = rawInputs;
    return result === undefined ? inputs : { ...inputs, result };
}

const changedKeys = (keys: readonly string[], olds: Props, news: Props) =>
    keys.filter((k) => !sameValue(olds[k] ?? null, news[k] ?? null));

/** Invocations whose arguments differ (by value where a value is unknown in a preview). */
function changedInvocations(olds: Props, news: Props): string[] {
    if (containsUnknown(news)) return changedKeys(INVOCATION_KEYS, olds, news);
    const step = plainValue(news.step) as StepInputs["step"];
    const argv = (props: Props, key: string) => {
        const value = plainValue(props[key]) as StepInvocation | undefined;
        try {
            return value === undefined ? null : canonicalArgv(argvOf(step, value));
        } catch {
            return value;
        }
    };
    return INVOCATION_KEYS.filter((k) => JSON.stringify(argv(olds, k)) !== JSON.stringify(argv(news, k)));
}

export function stepHandler(log: EngineLog): ResourceHandler {
    const run = async (urn: string, raw: Props) => {
        const inputs = parseInputs(raw);
        return (
            await runStep(inputs.step, argvOf(inputs.step, inputs.create), {
                stdin: inputs.stdin,
                onLine: (line) => log.log(urn, "info", line, true),
            })
        ).result;
    };
    const present = async (inputs: StepInputs): Promise<boolean> => {
        if (!inputs.observe) return true;
        const { result } = await runStep(inputs.step, argvOf(inputs.step, inputs.observe));
        return result.present !== false;
    };
    return {
        async check(_olds, news) {
            if (containsUnknown(news)) return { inputs: news, failures: [] };
            const parsed = inputsSchema.safeParse(plainValue(news));
            const failures = parsed.success
                ? []
                : parsed.error.issues.map((i) => ({ property: i.path.join(".") || "step", reason: i.message }));
            return { inputs: news, failures };
        },
        async diff(olds, news) {
            const replaces = changedKeys(REPLACE_KEYS, olds, news);
            const diffs = [...replaces, ...changedInvocations(olds, news), ...changedKeys(UPDATE_KEYS, olds, news)];
            const deleteBeforeReplace = plainValue(news.deleteBeforeReplace) === true;
            if (diffs.length === 0 && !(await present(parseInputs(news)))) {
                return { changes: true, replaces: ["observe"], diffs: ["observe"], deleteBeforeReplace };
            }
            return { changes: diffs.length > 0, replaces, diffs, deleteBeforeReplace };
        },
        async create(urn, news, preview) {
            const id = `${String(plainValue(news.step))}-${Date.now().toString(36)}`;
            return { id, outs: outputs(news, preview ? undefined : await run(urn, news)) };
        },
        async update(urn, olds, news, preview) {
            // In a preview the previous result stands, so outputs derived from it (a kubeconfig) stay known.
            return outputs(news, preview ? olds.result : await run(urn, news));
        },
        async read(id, props) {
            // `pulumi refresh`: a step whose work is gone leaves the state, so the next `up` makes it again.
            const inputs = inputsSchema.safeParse(plainValue(props));
            if (inputs.success && !(await present(inputs.data))) return { id: "", props: {} };
            return { id, props };
        },
        async delete(urn, props) {
            const inputs = parseInputs(props);
            if (inputs.delete)
                await runStep(inputs.step, argvOf(inputs.step, inputs.delete), {
                    onLine: (line) => log.log(urn, "info", line, true),
                });
        },
    };
}
