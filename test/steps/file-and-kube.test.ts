import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { statusPatchArgs } from "../../steps/kube.js";
import { runStep, tempDir } from "../support/steps.js";
import { execa } from "execa";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";

function runWithStdin(step: string, argv: string[], input: string, env: Record<string, string> = {}) {
    return execa("node", [path.join(PROJECT_ROOT, "bin", "steps", `${step}.js`), ...argv], {
        input,
        env,
        reject: false,
    });
}

describe("file step", () => {
    it("writes stdin to the path with the mode, then deletes it idempotently", async () => {
        const file = path.join(tempDir("file"), "nested", "ca.pem");
        const written = await runWithStdin(
            "file",
            ["write", "--path", file, "--mode", "0640"],
            "-----BEGIN CERTIFICATE-----\n",
        );
        assert.equal(written.exitCode, 0, String(written.stderr));
        assert.equal(fs.readFileSync(file, "utf8"), "-----BEGIN CERTIFICATE-----\n");
        assert.equal(fs.statSync(file).mode & 0o777, 0o640);
        for (let i = 0; i < 2; i++) assert.equal((await runStep("file", ["delete", "--path", file])).exitCode, 0);
        assert.equal(fs.existsSync(file), false);
    });

    it("fails with exit 2 on a relative path", async () => {
        const run = await runStep("file", ["write", "--path", "relative.pem"]);
        assert.equal(run.exitCode, 2);
        assert.match(run.stderr, /`--path`: must be an absolute path/);
    });
});

describe("kube step", () => {
    it("patches each object's status subresource with the stack's kubeconfig, one kubectl call each", async () => {
        const dir = tempDir("kubectl");
        const log = path.join(dir, "calls.log");
        const kubectl = path.join(dir, "kubectl");
        fs.writeFileSync(
            kubectl,
            `#!/usr/bin/env node\nrequire("fs").appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + "\\n");\n`,
            { mode: 0o755 },
        );
        const patch = JSON.stringify({ status: { registered: true } });
        const run = await runStep("kube", [
            "patch-status",
            "--kubeconfig",
            "/w/kubeconfig",
            "--namespace",
            "kubernaut-system",
            "--resource",
            "actiontypes.kubernaut.ai",
            "--name",
            "restart-pod",
            "--name",
            "scale-replicas",
            "--patch",
            patch,
            "--kubectl",
            kubectl,
        ]);
        assert.equal(run.exitCode, 0, run.stderr);
        const calls = fs
            .readFileSync(log, "utf8")
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l));
        assert.deepEqual(calls, [
            statusPatchArgs("/w/kubeconfig", "kubernaut-system", "actiontypes.kubernaut.ai", "restart-pod", patch),
            statusPatchArgs("/w/kubeconfig", "kubernaut-system", "actiontypes.kubernaut.ai", "scale-replicas", patch),
        ]);
        assert.deepEqual(calls[0].slice(4), [
            "patch",
            "actiontypes.kubernaut.ai",
            "restart-pod",
            "--subresource=status",
            "--type=merge",
            "-p",
            patch,
        ]);
    });

    it("fails naming the object when kubectl fails", async () => {
        const dir = tempDir("kubectl");
        const kubectl = path.join(dir, "kubectl");
        fs.writeFileSync(
            kubectl,
            "#!/bin/sh\necho 'Error from server (NotFound): actiontypes.kubernaut.ai \"x\" not found' >&2\nexit 1\n",
            { mode: 0o755 },
        );
        const run = await runStep("kube", [
            "patch-status",
            "--kubeconfig",
            "/w/k",
            "--namespace",
            "ns",
            "--resource",
            "actiontypes.kubernaut.ai",
            "--name",
            "x",
            "--patch",
            "{}",
            "--kubectl",
            kubectl,
        ]);
        assert.equal(run.exitCode, 1);
        assert.match(
            run.stderr,
            /failed to patch the status of actiontypes\.kubernaut\.ai `x`: exit code 1[\s\S]*NotFound/,
        );
    });

    it("fails with exit 2 on a patch that is not JSON", async () => {
        const run = await runStep("kube", [
            "patch-status",
            "--kubeconfig",
            "/w/k",
            "--namespace",
            "ns",
            "--resource",
            "actiontypes.kubernaut.ai",
            "--name",
            "x",
            "--patch",
            "status: yes",
        ]);
        assert.equal(run.exitCode, 2);
        assert.match(run.stderr, /`--patch` \(value 1\): must be a JSON object/);
    });
});
