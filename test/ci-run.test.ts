/**
 * `.ci/run`'s own bookkeeping, run by bash as CI runs it: a suite that passes must not end the script (a summary line
 * built with a failing command substitution once ended CI after `npm test`, so lint and the real-cluster suite never
 * ran, unseen).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { execa } from "execa";
import { PROJECT_ROOT } from "../lib/stack-scope.js";
import { tempDir } from "./support/steps.js";

/** `.ci/run`'s `counts` and `suite` functions, as written there. */
function suiteFunctions(): string {
    const script = fs.readFileSync(path.join(PROJECT_ROOT, ".ci", "run"), "utf8");
    const start = script.indexOf("counts() {");
    const end = script.indexOf("\n}\n", script.indexOf("suite() {"));
    assert.ok(start >= 0 && end > start, ".ci/run defines counts() and suite()");
    return script.slice(start, end + 3);
}

async function runSuites(commands: string): Promise<{ exitCode: number; stdout: string }> {
    const results = path.join(tempDir("ci-run"), "results");
    const body = [
        "set -uo pipefail",
        "set -e",
        `results=${JSON.stringify(results)}`,
        "summary=()",
        suiteFunctions(),
        commands,
        'printf "%s\\n" "${summary[@]}"',
    ].join("\n");
    const result = await execa("bash", ["-c", body], { reject: false });
    return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout) };
}

describe(".ci/run", () => {
    it("goes on after a suite that passes, and records one line for each suite", async () => {
        const tap = "printf '# pass 3\\n# fail 0\\n# duration_ms 2000\\n'";
        const { exitCode, stdout } = await runSuites(`suite first bash -c "${tap}"\nsuite second true`);
        assert.equal(exitCode, 0, stdout);
        const lines = stdout.split("\n").filter((l) => /^(first|second):/.test(l));
        assert.deepEqual(lines, [
            "first: 3 passed, 0 failed, 0 cancelled, 0 skipped in 2 s",
            "second: 0 passed, 0 failed, 0 cancelled, 0 skipped in 0 s",
        ]);
    });

    it("stops at a suite that fails, its line saying the exit code", async () => {
        const onExit = `trap 'printf "%s\\n" "\${summary[@]}"' EXIT`;
        const { exitCode, stdout } = await runSuites(`${onExit}\nsuite broken false\nsuite never true`);
        assert.equal(exitCode, 1);
        assert.match(stdout, /^broken: 0 passed, 0 failed, 0 cancelled, 0 skipped in 0 s \(exit 1\)$/m);
        assert.doesNotMatch(stdout, /^never:/m);
    });

    it("exits with the failing command's code through its clean-up trap", async () => {
        const script = fs.readFileSync(path.join(PROJECT_ROOT, ".ci", "run"), "utf8");
        const finish = script.slice(
            script.indexOf("finish() {"),
            script.indexOf("\n}\n", script.indexOf("finish() {")) + 3,
        );
        const trap = script.split("\n").find((l) => l.startsWith("trap '") && l.includes("finish"));
        assert.ok(finish.includes("exit") && trap, ".ci/run defines finish() and its clean-up trap");
        const body = [
            "log() { :; }",
            "summary=()",
            "snapshot=/nonexistent results=/nonexistent",
            finish,
            trap,
            "exit 3",
        ];
        const result = await execa("bash", ["-c", body.join("\n")], { reject: false });
        assert.equal(result.exitCode, 3, "not the clean-up's 0");
    });
});
