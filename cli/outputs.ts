/**
 * `npm run outputs -- <stack>`: writes the stack's outputs, secrets included, to `.work/<stack>/outputs.json`
 * (mode 0600) for test processes, and prints the file's path. Each Ginkgo process reads the file; nothing is
 * broadcast between processes and nothing lands in a shared home-directory path.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { execa } from "execa";
import { z } from "zod";
import { command, isMain, main } from "../lib/command-line.js";
import { pulumiEnv, resolvePulumiCli } from "../lib/pulumi-cli.js";
import { PROJECT_ROOT, stackScope } from "../lib/stack-scope.js";

export function outputsArgs(stack: string): string[] {
    return ["stack", "output", "--json", "--show-secrets", "--stack", stack];
}

/** Writes `outputsJson` (the CLI's output) to the stack's outputs file; returns its path. */
export function writeOutputsFile(stack: string, outputsJson: string): string {
    const parsed: unknown = JSON.parse(outputsJson);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
        throw new Error(`stack "${stack}": \`pulumi stack output --json\` did not print an object`);
    const file = path.join(stackScope(stack).workDir, "outputs.json");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(parsed, null, 2)}\n`, { mode: 0o600 });
    fs.chmodSync(file, 0o600);
    return file;
}

/** Reads the outputs of `stack` from its state and writes its outputs file; returns the file's path. */
export async function saveOutputs(stack: string, env: NodeJS.ProcessEnv): Promise<string> {
    const cli = await resolvePulumiCli(env);
    const result = await execa(cli.bin, outputsArgs(stack), {
        cwd: PROJECT_ROOT,
        env: { ...cli.env, ...pulumiEnv("output", env) },
        reject: false,
    });
    if (result.exitCode !== 0)
        throw new Error(`failed to read the outputs of stack \`${stack}\`: ${String(result.stderr).trim()}`);
    return writeOutputsFile(stack, String(result.stdout));
}

export const run = command("outputs", {
    description:
        "write the stack's outputs, secrets included, to .work/<stack>/outputs.json (mode 0600) and print its path",
    positionals: [{ name: "stack", description: "stack name" }],
    schema: z.object({ _: z.tuple([z.string()]) }),
    async run(values, io) {
        io.out(await saveOutputs(values._[0], io.env));
        return 0;
    },
});

if (isMain(import.meta.url)) await main("outputs", run);
