/**
 * What every step program shares: `run(argv, io)` does the work and returns an exit code; a three-line `main` wires it
 * to the process. Flags are parsed by `node:util` and checked by a zod schema, so a bad flag is reported by name.
 * The project's provider runs a step exactly as a user does: `node bin/steps/<step>.js <verb> <flags…>`, an argument
 * array with no shell in between.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { z } from "zod";

export interface StepIO {
    /** Writes one machine-readable line (JSON) to stdout. */
    readonly out: (line: string) => void;
    /** Writes one human-readable progress line to stderr. */
    readonly log: (line: string) => void;
    readonly env: NodeJS.ProcessEnv;
}

export type StepRun = (argv: readonly string[], io: StepIO) => Promise<number>;

/** A problem with the command line: reported without a stack trace, exit code 2. */
export class UsageError extends Error {
    override readonly name = "UsageError";
}

export function processIO(): StepIO {
    return {
        out: (line) => process.stdout.write(`${line}\n`),
        log: (line) => process.stderr.write(`${line}\n`),
        env: process.env,
    };
}

/** Runs a step as a process: exit code 0 on success, 1 on failure, 2 on bad usage. */
export async function main(step: string, run: StepRun): Promise<void> {
    const io = processIO();
    try {
        process.exitCode = await run(process.argv.slice(2), io);
    } catch (err) {
        io.log(`${step}: ${err instanceof Error ? err.message : String(err)}`);
        process.exitCode = err instanceof UsageError ? 2 : 1;
    }
}

/** Parses `argv` with `options` and validates the result with `schema`, naming the offending flag. */
export function parseFlags<S extends z.ZodType>(
    step: string,
    argv: readonly string[],
    options: NonNullable<ParseArgsConfig["options"]>,
    schema: S,
): z.infer<S> {
    let values: Record<string, unknown>;
    try {
        values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
    } catch (err) {
        throw new UsageError(`${step}: ${(err as Error).message}`);
    }
    const result = schema.safeParse(values);
    if (!result.success) {
        const problems = result.error.issues.map((i) => `  - \`--${i.path.join(".")}\`: ${i.message}`);
        throw new UsageError(`${step}: invalid arguments:\n${problems.join("\n")}`);
    }
    return result.data;
}

/** Runs the handler of `argv[0]` among `verbs`; an unknown verb is a usage error listing the known ones. */
export function dispatch(step: string, verbs: Readonly<Record<string, StepRun>>, argv: readonly string[], io: StepIO): Promise<number> {
    const [verb, ...rest] = argv;
    const handler = verb !== undefined && Object.hasOwn(verbs, verb) ? verbs[verb] : undefined;
    if (!handler) throw new UsageError(`${step}: expected one of ${Object.keys(verbs).join(", ")}, got \`${verb ?? ""}\``);
    return handler(rest, io);
}

/** `node:util` parseArgs with positionals, for the commands that are not steps; a bad flag is a usage error. */
export function parseCommandLine<O extends NonNullable<ParseArgsConfig["options"]>>(command: string, argv: readonly string[], options: O) {
    try {
        return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    } catch (err) {
        throw new UsageError(`${command}: ${(err as Error).message}`);
    }
}

/** Splits `K=V` build arguments; a missing `=` is a usage error. */
export function parseKeyValues(flag: string, pairs: readonly string[] | undefined): Record<string, string> {
    const result: Record<string, string> = {};
    for (const pair of pairs ?? []) {
        const eq = pair.indexOf("=");
        if (eq <= 0) throw new UsageError(`\`--${flag}\` expects KEY=VALUE, got \`${pair}\``);
        result[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    return result;
}

export function seconds(sinceMs: number): number {
    return Math.round((performance.now() - sinceMs) / 10) / 100;
}
