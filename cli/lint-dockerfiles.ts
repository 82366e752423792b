/**
 * `npm run --silent lint:dockerfiles -- <file|dir>... [--json]`: Dockerfile findings as `file:line rule message`
 * (or `{"findings":[…]}` with `--json`). Exit 1 when any finding is an error, else 0. Runs on any checkout — Kubernaut's
 * pre-commit hook or CI can call it today.
 */
import * as fs from "node:fs";
import { pathToFileURL } from "node:url";
import { findDockerfiles, lintDockerfile, type Finding } from "../tools/dockerfile-lint.js";
import { main, parseCommandLine, UsageError, type StepIO } from "../lib/step-cli.js";

export async function run(argv: readonly string[], io: StepIO): Promise<number> {
    const parsed = parseCommandLine("lint:dockerfiles", argv, { json: { type: "boolean" } });
    if (parsed.positionals.length === 0) throw new UsageError("usage: npm run --silent lint:dockerfiles -- <file|dir>... [--json]");
    let files: string[];
    try {
        files = findDockerfiles(parsed.positionals);
    } catch (err) {
        throw new UsageError(`lint:dockerfiles: ${(err as Error).message}`);
    }
    const findings: Finding[] = files.flatMap((file) => lintDockerfile(file, fs.readFileSync(file, "utf8")));
    if (parsed.values.json) io.out(JSON.stringify({ findings }));
    else for (const f of findings) io.out(`${f.file}:${f.line} ${f.rule} ${f.message}`);
    return findings.some((f) => f.severity === "error") ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main("lint:dockerfiles", run);
