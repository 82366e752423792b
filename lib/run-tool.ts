/**
 * The one way this project runs an external program: execa with an argv array, never a shell.
 *
 * A failure becomes a {@link ToolError} whose message says what was being attempted, shows the command as a pasteable
 * line (values that look like secrets redacted), the exit code and the last lines of output.
 */
import { execa, type Options as ExecaOptions } from "execa";

export interface ToolResult {
    readonly stdout: string;
    readonly stderr: string;
    readonly exitCode: number;
}

export interface RunToolOptions {
    /** What is being attempted, lowercase, e.g. "build image `x`": the error starts with "failed to <doing>". */
    readonly doing: string;
    /** Extra environment variables (the parent environment is inherited). */
    readonly env?: Readonly<Record<string, string | undefined>>;
    /** Working directory. @default - the current directory */
    readonly cwd?: string;
    /** Standard input. @default - none */
    readonly input?: string;
    /** Kill the program after this many seconds. @default - no limit */
    readonly timeoutSeconds?: number;
    /** Return a non-zero exit instead of throwing. @default false */
    readonly allowFailure?: boolean;
    /** Stream stderr lines to this callback as they arrive (progress). @default - not streamed */
    readonly onStderrLine?: (line: string) => void;
}

export class ToolError extends Error {
    constructor(
        message: string,
        readonly argv: readonly string[],
        readonly exitCode: number | undefined,
        readonly output: string,
    ) {
        super(message);
        this.name = "ToolError";
    }
}

export async function runTool(file: string, args: readonly string[], options: RunToolOptions): Promise<ToolResult> {
    const execaOptions: ExecaOptions = {
        env: options.env,
        cwd: options.cwd,
        input: options.input,
        timeout: options.timeoutSeconds ? options.timeoutSeconds * 1000 : undefined,
        reject: false,
        stripFinalNewline: true,
        encoding: "utf8",
        stdin: options.input === undefined ? "ignore" : "pipe",
    };
    const child = execa(file, args, execaOptions);
    if (options.onStderrLine && child.stderr) {
        let pending = "";
        child.stderr.on("data", (chunk: Buffer) => {
            const lines = (pending + chunk.toString("utf8")).split("\n");
            pending = lines.pop() ?? "";
            for (const line of lines) options.onStderrLine?.(line);
        });
    }
    const result = await child;
    const stdout = String(result.stdout ?? "");
    const stderr = String(result.stderr ?? "");
    if (result.failed && (!options.allowFailure || result.exitCode === undefined)) {
        const cause =
            result.exitCode === undefined
                ? result.timedOut
                    ? "timed out"
                    : (result.shortMessage ?? "could not start")
                : `exit code ${result.exitCode}`;
        throw new ToolError(
            `failed to ${options.doing}: ${cause}\n  command: ${prettyCommand(file, args)}${tail(stderr || stdout)}`,
            [file, ...args],
            result.exitCode,
            `${stdout}\n${stderr}`,
        );
    }
    return { stdout, stderr, exitCode: result.exitCode ?? 0 };
}

/** The last lines of a program's output, indented, for an error message. */
export function tail(text: string, lines = 20): string {
    const kept = text.trimEnd().split("\n").slice(-lines);
    return kept.length === 1 && kept[0] === ""
        ? ""
        : `\n  output (last ${kept.length} lines):\n${kept.map((l) => `    ${l}`).join("\n")}`;
}

const SECRET_ARG = /(password|passwd|token|secret|key)=/i;

/** An argv as a line that can be pasted into a POSIX shell; `K=V` arguments whose key looks secret show `K=***`. */
export function prettyCommand(file: string, args: readonly string[]): string {
    return [file, ...args]
        .map((arg) => (SECRET_ARG.test(arg) ? arg.replace(/=.*$/s, "=***") : arg))
        .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`))
        .join(" ");
}
