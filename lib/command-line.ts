/**
 * What every command of this project shares, steps and user commands alike: `run(argv, io)` does the work and returns
 * an exit code, and a three-line `main` wires it to the process. Commands, verbs and flags are declared once, as data,
 * and parsed by commander, which gives each of them `--help` and `--version`; values are then checked by a zod schema,
 * so a bad value is reported by its flag. One error style: `<command>: <what is wrong>`, exit 2 for bad usage.
 *
 * The project's provider runs a step exactly as a user does: `node bin/steps/<step>.js <verb> <flags…>`, an argument
 * array with no shell in between.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Command, CommanderError, Option } from "commander";
import type { z } from "zod";
import { PROJECT_ROOT } from "./stack-scope.js";

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

/** One flag: `--name <VALUE>` (string), `--name` (boolean); `multiple` collects repeats into an array. */
export interface FlagSpec {
    readonly description: string;
    readonly type: "string" | "boolean";
    readonly multiple?: boolean;
    /** What the value is, for `--help` (`DIR`, `REF`). @default "VALUE" */
    readonly value?: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

export interface Positional {
    readonly name: string;
    readonly description: string;
    /** @default true */
    readonly required?: boolean;
    /** Takes every remaining argument. @default false */
    readonly variadic?: boolean;
}

/** A command (or one verb of a step): its flags, the schema their values must meet, and what it does. */
export interface CommandSpec<S extends z.ZodType = z.ZodType> {
    readonly description: string;
    readonly flags?: FlagSpecs;
    readonly positionals?: readonly Positional[];
    /** Validates the flags, keyed as declared (`engine-bin`), plus `_` holding the positionals. */
    readonly schema: S;
    /** Arguments after `--` go to the command untouched (pulumi flags). @default false */
    readonly passThrough?: boolean;
    readonly run: (values: z.infer<S>, io: StepIO) => Promise<number>;
}

export const PACKAGE_VERSION = (
    JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string }
).version;

function configure(command: Command, spec: CommandSpec): Command {
    command
        .description(spec.description)
        .exitOverride()
        .configureOutput({ outputError: () => undefined })
        .helpOption("-h, --help", "show this help");
    for (const [name, flag] of Object.entries(spec.flags ?? {})) {
        const option =
            flag.type === "boolean"
                ? new Option(`--${name}`, flag.description)
                : new Option(`--${name} <${flag.value ?? "VALUE"}>`, flag.description);
        if (flag.multiple)
            option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
        command.addOption(option);
    }
    for (const p of spec.positionals ?? []) {
        const label = p.variadic ? `${p.name}...` : p.name;
        command.argument(p.required === false ? `[${label}]` : `<${label}>`, p.description);
    }
    if (spec.passThrough) command.allowExcessArguments(true).passThroughOptions(true).allowUnknownOption(true);
    return command;
}

/** The parsed values of `command`, keyed as the flags were declared, with the positionals in `_`. */
function valuesOf(command: Command, spec: CommandSpec): Record<string, unknown> {
    const opts = command.opts<Record<string, unknown>>();
    const values: Record<string, unknown> = {};
    const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    for (const name of Object.keys(spec.flags ?? {})) {
        // Commander keeps a `--no-x` flag as `x: false`.
        const negated = name.startsWith("no-") && opts[camel(name.slice(3))] === false;
        if (negated) values[name] = true;
        else if (opts[camel(name)] !== undefined) values[name] = opts[camel(name)];
    }
    values._ = command.args;
    return values;
}

function validate(name: string, spec: CommandSpec, values: Record<string, unknown>): unknown {
    const result = spec.schema.safeParse(values);
    if (result.success) return result.data;
    const problems = result.error.issues.map((i) => {
        const key = String(i.path[0] ?? "");
        // A repeatable flag's n-th value is named `--flag` (#n), as the user typed it.
        const nth = typeof i.path[1] === "number" ? ` (value ${Number(i.path[1]) + 1})` : "";
        const what =
            key === "_"
                ? "arguments"
                : key
                  ? `\`--${[key, ...i.path.slice(typeof i.path[1] === "number" ? 2 : 1)].join(".")}\`${nth}`
                  : "arguments";
        return `  - ${what}: ${i.message}`;
    });
    throw new UsageError(`${name}: invalid arguments:\n${problems.join("\n")}`);
}

/** Parses `argv` with commander; `--help` and `--version` print and return 0; a usage error throws UsageError. */
async function parse(program: Command, name: string, argv: readonly string[], io: StepIO): Promise<number> {
    let printed = false;
    program.configureOutput({
        writeOut: (s) => {
            printed = true;
            io.out(s.trimEnd());
        },
        writeErr: (s) => io.log(s.trimEnd()),
        outputError: () => undefined,
    });
    try {
        await program.parseAsync([...argv], { from: "user" });
    } catch (err) {
        if (err instanceof CommanderError) {
            if (
                err.code === "commander.helpDisplayed" ||
                err.code === "commander.version" ||
                err.code === "commander.help"
            )
                return 0;
            throw new UsageError(`${name}: ${err.message.replace(/^error: /, "")} (see \`--help\`)`);
        }
        throw err;
    }
    return printed ? 0 : exitCodeOf(program);
}

const EXIT_CODE = Symbol("exitCode");
function exitCodeOf(program: Command): number {
    return (program as unknown as { [EXIT_CODE]?: number })[EXIT_CODE] ?? 0;
}

/** `run(argv, io)` for a command without verbs. */
export function command<S extends z.ZodType>(name: string, spec: CommandSpec<S>): StepRun {
    return (argv, io) => {
        const program = configure(new Command(name).version(PACKAGE_VERSION), spec);
        program.action(async (...args: unknown[]) => {
            const self = args[args.length - 1] as Command;
            (program as unknown as { [EXIT_CODE]?: number })[EXIT_CODE] = await spec.run(
                validate(name, spec, valuesOf(self, spec)) as z.infer<S>,
                io,
            );
        });
        return parse(program, name, argv, io);
    };
}

/** `run(argv, io)` for a program of verbs (`image build`, `cluster create`). */
export function verbs(name: string, description: string, specs: Readonly<Record<string, CommandSpec>>): StepRun {
    return (argv, io) => {
        const program = new Command(name)
            .description(description)
            .version(PACKAGE_VERSION)
            .exitOverride()
            .helpOption("-h, --help", "show this help");
        program.configureOutput({ outputError: () => undefined });
        for (const [verb, spec] of Object.entries(specs)) {
            const sub = configure(program.command(verb), spec);
            sub.action(async (...args: unknown[]) => {
                const self = args[args.length - 1] as Command;
                (program as unknown as { [EXIT_CODE]?: number })[EXIT_CODE] = await spec.run(
                    validate(`${name} ${verb}`, spec, valuesOf(self, spec)),
                    io,
                );
            });
        }
        if (argv.length === 0)
            throw new UsageError(`${name}: expected one of ${Object.keys(specs).join(", ")} (see \`--help\`)`);
        return parse(program, name, argv, io);
    };
}

export function processIO(): StepIO {
    return {
        out: (line) => process.stdout.write(`${line}\n`),
        log: (line) => process.stderr.write(`${line}\n`),
        env: process.env,
    };
}

/** Whether the module at `moduleUrl` is the process's entry point, also when started through a symlink. */
export function isMain(moduleUrl: string): boolean {
    const entry = process.argv[1];
    if (!entry) return false;
    try {
        return fs.realpathSync(entry) === fs.realpathSync(fileURLToPath(moduleUrl));
    } catch {
        return false;
    }
}

/** Runs a command as a process: exit code 0 on success, 1 on failure, 2 on bad usage. */
export async function main(name: string, run: StepRun): Promise<void> {
    const io = processIO();
    try {
        process.exitCode = await run(process.argv.slice(2), io);
    } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        io.log(message.startsWith(`${name}`) ? message : `${name}: ${message}`);
        process.exitCode = err instanceof UsageError ? 2 : 1;
    }
}

/** Splits `K=V` pairs; a missing `=` is a usage error naming the flag. */
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
