/**
 * `npm run e2e`'s bad input: each case one clear line and a non-zero exit, before anything is built (no stack, no
 * suite copy). The runs against real stacks are the real-cluster suite's and `npm run test:lanes`'.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { execa } from "execa";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { WORK_ROOT_ENV } from "../../lib/stack-scope.js";
import { TOOLCHAIN_ROOT_ENV } from "../../lib/toolchain/layout.js";
import { tempDir } from "../support/steps.js";

/** A Kubernaut-like checkout with signalprocessing's suite directory (or without it). */
function checkout(withSuite: boolean): string {
    const root = tempDir("e2e-checkout");
    fs.writeFileSync(path.join(root, "go.mod"), "module github.com/jordigilh/kubernaut\n\ngo 1.26\n");
    if (withSuite) {
        fs.mkdirSync(path.join(root, "test/e2e/signalprocessing"), { recursive: true });
        fs.writeFileSync(path.join(root, "test/e2e/signalprocessing/suite_test.go"), "package signalprocessing\n");
    }
    return root;
}

/** `npm run e2e -- <args>` as the script runs it, in an environment of the test's choosing. */
async function e2e(args: string[], env: Record<string, string | undefined>) {
    const work = tempDir("e2e-work");
    const result = await execa("node", [path.join(PROJECT_ROOT, "bin/cli/e2e.js"), ...args], {
        cwd: PROJECT_ROOT,
        env: { ...env, [WORK_ROOT_ENV]: work },
        reject: false,
    });
    const stderr = String(result.stderr).trim();
    return { exitCode: result.exitCode, stderr, built: fs.readdirSync(work) };
}

/** A PATH with `go` and nothing else of ours: no Ginkgo, no toolchain. */
function pathWith(...programs: string[]): string {
    const dir = tempDir("e2e-path");
    for (const p of programs) {
        const found = process.env
            .PATH!.split(path.delimiter)
            .map((d) => path.join(d, p))
            .find((f) => fs.existsSync(f));
        assert.ok(found, `${p} is not on this machine's PATH (the test needs it)`);
        fs.symlinkSync(found, path.join(dir, p));
    }
    return dir;
}

describe("npm run e2e: bad input", () => {
    const noToolchain = { [TOOLCHAIN_ROOT_ENV]: tempDir("e2e-no-toolchain") };

    it("an unknown stack", async () => {
        const run = await e2e(["nosuchlane-e2e"], { ...process.env, ...noToolchain });
        assert.equal(run.exitCode, 1);
        assert.match(run.stderr, /^e2e: unknown stack `nosuchlane-e2e`: .* signalprocessing-e2e/);
        assert.equal(run.stderr.split("\n").length, 1, run.stderr);
        assert.deepEqual(run.built, []);
    });

    it("a stack whose environment has no suite", async () => {
        const run = await e2e(["smoke-e2e"], { ...process.env, ...noToolchain });
        assert.equal(run.exitCode, 1);
        assert.match(run.stderr, /^e2e: stack `smoke-e2e` runs smoke-e2e, which has no Kubernaut suite; lanes with/);
    });

    it("a checkout without the lane's suite", async () => {
        const root = checkout(false);
        const run = await e2e(["signalprocessing-e2e"], { ...process.env, ...noToolchain, KUBERNAUT_ROOT: root });
        assert.equal(run.exitCode, 1);
        assert.equal(
            run.stderr,
            `e2e: the Kubernaut checkout ${root} (from KUBERNAUT_ROOT) has no signalprocessing-e2e suite in ` +
                "test/e2e/signalprocessing",
        );
        assert.deepEqual(run.built, []);
    });

    it("no Go to compile the suite with", async () => {
        const env = { ...noToolchain, KUBERNAUT_ROOT: checkout(true), PATH: pathWith("node") };
        const run = await e2e(["signalprocessing-e2e"], env);
        assert.equal(run.exitCode, 1);
        assert.equal(run.stderr, "e2e: Go is needed to compile the suite (`go test -c`), and there is no `go` on PATH");
    });

    it("no Ginkgo CLI to run it with", async () => {
        const env = { ...noToolchain, KUBERNAUT_ROOT: checkout(true), PATH: pathWith("node", "go") };
        const run = await e2e(["signalprocessing-e2e"], env);
        assert.equal(run.exitCode, 1);
        assert.match(run.stderr, /^e2e: the Ginkgo CLI runs the suite, and there is none: build the toolchain's/);
        assert.deepEqual(run.built, []);
    });

    it("a Ginkgo flag the command sets itself, and --compile-only with --destroy", async () => {
        const flag = await e2e(["signalprocessing-e2e", "--", "--junit-report=mine.xml"], process.env);
        assert.equal(flag.exitCode, 1);
        assert.match(flag.stderr, /^e2e: `--junit-report` is set by npm run e2e/);
        const both = await e2e(["signalprocessing-e2e", "--compile-only", "--destroy"], process.env);
        assert.equal(both.exitCode, 2);
        assert.match(both.stderr, /--compile-only runs no stack/);
        assert.deepEqual([...flag.built, ...both.built], []);
    });
});
