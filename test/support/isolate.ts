/**
 * Loaded into every test process with `node --import` (see package.json): gives the process a private temporary
 * directory and cache home, and removes both when it exits, so a test run leaves nothing in `/tmp` or in the real
 * `~/.cache/kubernaut-e2e`. Child processes (steps, the Pulumi CLI, Podman, Go) inherit `TMPDIR` and write there too.
 *
 * The offline toolchain is the one thing tests read from the real cache: its root is pinned before the cache home
 * moves. Its profile (the defaults it offers the stacks) is off unless a test names one.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TOOLCHAIN_ROOT_ENV, toolchainLayout } from "../../lib/toolchain/layout.js";
import { PROFILE_ENV } from "../../lib/toolchain/profile.js";

process.env[TOOLCHAIN_ROOT_ENV] ??= toolchainLayout().root;
// A plan must not depend on what this machine's toolchain offers: tests that want a profile name one.
process.env[PROFILE_ENV] ??= "none";

const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "ke2e-run-"));
fs.mkdirSync(path.join(runDir, "cache"));
process.env.TMPDIR = runDir;
process.env.XDG_CACHE_HOME = path.join(runDir, "cache");

process.on("exit", () => {
    // Files written by containers may be read-only for us only in name (we run as root); force covers both.
    fs.rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
});
