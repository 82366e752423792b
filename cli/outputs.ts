/**
 * `npm run outputs -- <stack>`: writes the stack's outputs, secrets included, to `.work/<stack>/outputs.json`
 * (mode 0600) for test processes, and prints the file's path. Each Ginkgo process reads the file; nothing is
 * broadcast between processes and nothing lands in a shared home-directory path.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { execa } from "execa";
import { PROJECT_ROOT, stackScope } from "../lib/stack-scope.js";
import { main, UsageError, type StepIO } from "../lib/step-cli.js";

export function outputsArgs(stack: string): string[] {
    return ["--no-install", "pulumi", "stack", "output", "--json", "--show-secrets", "--stack", stack];
}

/** Writes `outputsJson` (the CLI's output) to the stack's outputs file; returns its path. */
export function writeOutputsFile(stack: string, outputsJson: string): string {
    const parsed: unknown = JSON.parse(outputsJson);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`stack "${stack}": \`pulumi stack output --json\` did not print an object`);
    const file = path.join(stackScope(stack).workDir, "outputs.json");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(parsed, null, 2)}\n`, { mode: 0o600 });
    fs.chmodSync(file, 0o600);
    return file;
}

export async function run(argv: readonly string[], io: StepIO): Promise<number> {
    const [stack, ...rest] = argv;
    if (!stack || rest.length) throw new UsageError("usage: npm run outputs -- <stack>");
    const result = await execa("npx", outputsArgs(stack), {
        cwd: PROJECT_ROOT,
        env: { PULUMI_CONFIG_PASSPHRASE: io.env.PULUMI_CONFIG_PASSPHRASE ?? "" },
        reject: false,
    });
    if (result.exitCode !== 0) throw new Error(`failed to read the outputs of stack \`${stack}\`: ${String(result.stderr).trim()}`);
    io.out(writeOutputsFile(stack, String(result.stdout)));
    return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main("outputs", run);
