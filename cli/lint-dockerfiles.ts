/**
 * `npm run --silent lint:dockerfiles -- <file|dir>... [--json]`: Dockerfile findings as `file:line rule message`
 * (or `{"findings":[…]}` with `--json`). Exit 1 when any finding is an error, else 0. Runs on any checkout —
 * Kubernaut's
 * pre-commit hook or CI can call it today.
 */
import * as fs from "node:fs";
import { findDockerfiles, lintDockerfile, type Finding } from "../tools/dockerfile-lint.js";
import { z } from "zod";
import { command, isMain, main, UsageError } from "../lib/command-line.js";

export const run = command("lint:dockerfiles", {
    description: "Dockerfile findings as `file:line severity rule message`, and a summary; exit 1 on any error",
    positionals: [{ name: "paths", description: "Dockerfiles or directories of them", variadic: true }],
    flags: { json: { type: "boolean", description: "print the findings as JSON" } },
    schema: z.object({ _: z.array(z.string()).min(1), json: z.boolean().optional() }),
    async run(values, io) {
        let files: string[];
        try {
            files = findDockerfiles(values._);
        } catch (err) {
            throw new UsageError(`lint:dockerfiles: ${(err as Error).message}`);
        }
        const findings: Finding[] = files.flatMap((file) => lintDockerfile(file, fs.readFileSync(file, "utf8")));
        if (values.json) io.out(JSON.stringify({ findings }));
        else {
            for (const f of findings) io.out(`${f.file}:${f.line} ${f.severity} ${f.rule} ${f.message}`);
            const errors = findings.filter((f) => f.severity === "error").length;
            io.out(
                `${files.length} Dockerfile${files.length === 1 ? "" : "s"}: ${errors} error${errors === 1 ? "" : "s"}, ${findings.length - errors} warning${findings.length - errors === 1 ? "" : "s"}`,
            );
        }
        return findings.some((f) => f.severity === "error") ? 1 : 0;
    },
});

if (isMain(import.meta.url)) await main("lint:dockerfiles", run);
