/** Runs step programs as a user would: a separate `node` process, one JSON line on stdout. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execa } from "execa";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";

export interface StepRun {
    readonly exitCode: number;
    readonly stdout: string;
    readonly stderr: string;
    /** The parsed JSON line, when stdout holds one. */
    readonly json: Record<string, unknown> | undefined;
}

export async function runStep(
    step: "image" | "cluster" | "load" | "file" | "kube",
    argv: string[],
    env: Record<string, string> = {},
): Promise<StepRun> {
    const result = await execa("node", [path.join(PROJECT_ROOT, "bin", "steps", `${step}.js`), ...argv], {
        env: { ...env, XDG_CACHE_HOME: env.XDG_CACHE_HOME ?? testCacheHome },
        reject: false,
        cwd: PROJECT_ROOT,
    });
    const stdout = String(result.stdout);
    let json: Record<string, unknown> | undefined;
    try {
        json = JSON.parse(stdout.trim().split("\n").pop() ?? "");
    } catch {
        json = undefined;
    }
    return { exitCode: result.exitCode ?? -1, stdout, stderr: String(result.stderr), json };
}

/** A private fingerprint cache for the whole test run, so tests never read a developer's cache. */
export const testCacheHome = fs.mkdtempSync(path.join(os.tmpdir(), "ke2e-cache-"));

/**
 * Environment in which no offline toolchain is built (an empty toolchain root), for tests of what a command does
 * without one, whatever this machine has built.
 */
export function withoutToolchain(): Record<string, string> {
    return { KUBERNAUT_E2E_TOOLCHAIN_ROOT: tempDir("no-toolchain") };
}

export function tempDir(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), `ke2e-${prefix}-`));
}

/** Writes `files` (relative path → content) under `dir`. */
export function writeTree(dir: string, files: Record<string, string>): void {
    for (const [rel, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), content);
    }
}
