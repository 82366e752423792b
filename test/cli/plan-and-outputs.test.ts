import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { execa } from "execa";
import { outputsArgs, writeOutputsFile } from "../../cli/outputs.js";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { tempDir } from "../support/steps.js";

const FIXTURE = path.join(PROJECT_ROOT, "test", "fixtures", "kubernaut");

function plan(args: string[]) {
    return execa("node", [path.join(PROJECT_ROOT, "bin", "cli", "plan.js"), ...args], {
        env: { KUBERNAUT_ROOT: FIXTURE, KUBERNAUT_E2E_WORK_ROOT: tempDir("plan-work") },
        reject: false,
    });
}

describe("plan command", () => {
    it("prints the plan as one JSON object with urn, type, name, parent, dependencies and inputs", async () => {
        const run = await plan(["signalprocessing-e2e", "--json"]);
        assert.equal(run.exitCode, 0, String(run.stderr));
        const parsed = JSON.parse(String(run.stdout));
        assert.equal(parsed.stack, "signalprocessing-e2e");
        const deployment = parsed.resources.find((r: { name: string }) => r.name === "signalprocessing-deployment");
        assert.deepEqual(Object.keys(deployment).sort(), [
            "custom",
            "dependencies",
            "inputs",
            "name",
            "parent",
            "provider",
            "type",
            "urn",
        ]);
        assert.equal(deployment.inputs.metadata.name, "signalprocessing-controller");
        assert.ok(deployment.dependencies.some((d: string) => d.endsWith("::signalprocessing-load")));
        assert.ok(!String(run.stdout).includes("test_password"));
    });

    it("prints a readable tree with Kubernetes names and edges", async () => {
        const run = await plan(["signalprocessing-e2e"]);
        assert.equal(run.exitCode, 0, String(run.stderr));
        assert.match(String(run.stdout), /^ {2}KindCluster cluster$/m);
        assert.match(
            String(run.stdout),
            /^ {4}Step cluster-create {2}← datastorage-build, db-migrate-build, signalprocessing-build$/m,
        );
        assert.match(
            String(run.stdout),
            /Deployment datastorage-deployment \(datastorage\) {2}← crds, tls, migrations,/,
            "a wait for every object of a component is shown as the component",
        );
        assert.ok(
            String(run.stdout)
                .split("\n")
                .every((l) => [...l].length <= 120),
            "the tree fits 120 columns",
        );
        assert.match(String(run.stdout), /suiteToken: \[secret\]/);
        assert.match(String(run.stdout), /^config:\n/, "the config comes first");
        assert.match(String(run.stdout), /^ {2}clusterWaitSeconds +60 {2}\(built-in default\)$/m);
        assert.match(String(run.stdout), /^ {2}postgresPassword +\[secret\] {2}\(built-in default\)$/m);
    });

    it("applies --set overrides and reports bad config by key", async () => {
        const run = await plan(["signalprocessing-e2e", "--set", "clusterAfterBuilds=maybe"]);
        assert.equal(run.exitCode, 1);
        assert.match(String(run.stderr), /`kubernaut-e2e:clusterAfterBuilds` \(from --set\): /);
    });
});

describe("outputs command", () => {
    it("reads outputs with secrets through the project's pulumi", () => {
        assert.deepEqual(outputsArgs("signalprocessing-e2e"), [
            "stack",
            "output",
            "--json",
            "--show-secrets",
            "--stack",
            "signalprocessing-e2e",
        ]);
    });

    it("writes them to the stack's own directory, readable only by the user", () => {
        process.env.KUBERNAUT_E2E_WORK_ROOT = tempDir("outputs");
        const file = writeOutputsFile(
            "signalprocessing-e2e",
            JSON.stringify({ suiteToken: "t0ken", namespace: "kubernaut-system" }),
        );
        assert.equal(file, path.join(process.env.KUBERNAUT_E2E_WORK_ROOT, "signalprocessing-e2e", "outputs.json"));
        assert.deepEqual(JSON.parse(fs.readFileSync(file, "utf8")), {
            suiteToken: "t0ken",
            namespace: "kubernaut-system",
        });
        assert.equal(fs.statSync(file).mode & 0o777, 0o600);
        assert.throws(() => writeOutputsFile("x", "[1]"), /did not print an object/);
    });
});
