#!/usr/bin/env node
/**
 * Compiles this project, incrementally, when the build is missing or older than a source file: what `npm run`
 * commands (through `launch.mjs`) and the Pulumi program (through `stacks/program.mjs`) do before they run, so a
 * stale `bin/` never runs and a fresh checkout gets one line saying what to install instead of a stack trace.
 *
 * Plain JavaScript on purpose: it must run before anything is compiled.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const buildInfo = path.join(root, "bin", ".tsbuildinfo");

/** The newest modification time among the sources tsconfig.json compiles, and the files that configure the build. */
function newestSource() {
    const config = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.json"), "utf8"));
    let newest = Math.max(...["tsconfig.json", "package.json"].map((f) => fs.statSync(path.join(root, f)).mtimeMs));
    const walk = (dir) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            if (entry.name === "node_modules" || entry.name === "fixtures") continue;
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(full);
            else if (entry.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(full).mtimeMs);
        }
    };
    for (const dir of config.include) if (fs.existsSync(path.join(root, dir))) walk(path.join(root, dir));
    return newest;
}

/** Compiles when needed; exits the process with a one-line reason when it cannot. */
export function ensureBuilt() {
    const built = fs.existsSync(buildInfo) ? fs.statSync(buildInfo).mtimeMs : 0;
    if (built >= newestSource()) return;
    const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
    if (!fs.existsSync(tsc)) {
        process.stderr.write(
            `kubernaut-e2e: ${built ? "the build is older than the sources" : "the project is not built"} and TypeScript is not installed; run \`npm install\`, then \`npm run build\`\n`,
        );
        process.exit(2);
    }
    const result = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.json")], { stdio: "inherit" });
    if (result.status !== 0) {
        process.stderr.write(
            "kubernaut-e2e: compiling the project failed (see above); fix it, or run `npm run build` to see the errors again\n",
        );
        process.exit(result.status ?? 1);
    }
}
