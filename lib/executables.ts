/**
 * The one program-time probe of the stack programs: a binary the user configured (`engineBinary`, `kindBinary`) must
 * exist and answer `--version` before anything is registered, so a typo fails at once, named by its key, instead of
 * inside a step minutes later. Binaries found on PATH are not probed; their steps report them.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { findOnPath } from "./engine.js";

/** Names the kubectl binary the steps and commands run, instead of `kubectl` on PATH (the toolchain sets it). */
export const KUBECTL_BIN_ENV = "KUBERNAUT_E2E_KUBECTL";

/** Why `value` cannot be run, or undefined when `<value> --version` exits 0 within 10 s. */
export function executableProblem(value: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
    const file = value.includes("/") ? path.resolve(value) : findOnPath(value, env);
    if (!file || !fs.existsSync(file)) return `\`${value}\` does not exist${value.includes("/") ? "" : " on PATH"}`;
    try {
        fs.accessSync(file, fs.constants.X_OK);
    } catch {
        return `\`${file}\` is not executable`;
    }
    const result = spawnSync(file, ["--version"], {
        timeout: 10_000,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
    });
    if (result.error || result.status !== 0) {
        const why =
            result.error?.message ??
            (result.stderr || result.stdout || `exit code ${result.status}`).trim().split("\n")[0];
        return `\`${file} --version\` failed: ${why}`;
    }
    return undefined;
}
