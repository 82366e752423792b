/**
 * The `cluster` step's decisions and command lines, against a fake kind (kind cannot run on the CI machines).
 * What only a real kind can show is listed in the README.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeEach, describe, it } from "node:test";
import { parse } from "yaml";
import { readRecord, writeRecord } from "../../steps/support/cluster-record.js";
import { makeFakeKind, type FakeKind } from "../support/fake-kind.js";
import { runStep, tempDir } from "../support/steps.js";

const CONFIG = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n";

describe("cluster step", () => {
    let kind: FakeKind;
    let stateDir: string;
    let kubeconfig: string;

    beforeEach(() => {
        kind = makeFakeKind();
        stateDir = tempDir("cluster-state");
        kubeconfig = path.join(tempDir("kube"), "nested", "kubeconfig");
    });

    function cluster(verb: string, extra: string[] = [], env: Record<string, string> = {}) {
        return runStep(
            "cluster",
            [
                verb,
                "--name",
                "sp-e2e",
                "--config-yaml",
                CONFIG,
                "--kubeconfig",
                kubeconfig,
                "--state-dir",
                stateDir,
                "--engine",
                "docker",
                "--engine-bin",
                kind.bin,
                "--kind",
                kind.bin,
                ...extra,
            ],
            kind.env(env),
        );
    }

    it("creates the cluster with the rendered config, writes a 0600 kubeconfig and records the identity", async () => {
        const run = await cluster("create", ["--wait-seconds", "90", "--ensure-dir", path.join(stateDir, "coverdata")]);
        assert.equal(run.exitCode, 0, run.stderr);
        const created = kind.clusters()["sp-e2e"];
        assert.deepEqual(parse(created.config), parse(CONFIG), "the config kind reads is the one given");
        assert.deepEqual(kind.calls().find((c) => c.argv[0] === "create")?.argv, [
            "create",
            "cluster",
            "--name",
            "sp-e2e",
            "--config",
            path.join(stateDir, "kind-config.yaml"),
            "--kubeconfig",
            kubeconfig,
            "--wait",
            "90s",
        ]);
        assert.equal(run.json?.identity, created.id);
        assert.match(String(run.json?.kubeconfig), /current-context: kind-sp-e2e/);
        assert.equal(run.json?.adopted, false);
        assert.equal(fs.statSync(kubeconfig).mode & 0o777, 0o600);
        assert.deepEqual(readRecord(stateDir), { name: "sp-e2e", phase: "ready", identity: created.id });
        assert.ok(fs.statSync(path.join(stateDir, "coverdata")).isDirectory(), "mount sources are created");
        assert.ok(!run.stderr.includes("current-context"), "the kubeconfig never reaches the log");
    });

    it("adopts a complete cluster it recorded, without creating another", async () => {
        await cluster("create");
        const again = await cluster("create");
        assert.equal(again.exitCode, 0, again.stderr);
        assert.equal(again.json?.adopted, true);
        assert.equal(kind.calls().filter((c) => c.argv[0] === "create").length, 1);
    });

    it("deletes and re-creates its own half-made cluster from an interrupted run", async () => {
        kind.addCluster("sp-e2e", "a".repeat(64));
        writeRecord(stateDir, { name: "sp-e2e", phase: "creating" });
        const run = await cluster("create");
        assert.equal(run.exitCode, 0, run.stderr);
        assert.equal(run.json?.adopted, false);
        assert.notEqual(run.json?.identity, "a".repeat(64));
        const verbs = kind.calls().map((c) => c.argv.slice(0, 2).join(" "));
        assert.ok(verbs.indexOf("delete cluster") < verbs.indexOf("create cluster"), verbs.join(", "));
    });

    it("fails rather than touch a cluster of the same name that it did not create", async () => {
        kind.addCluster("sp-e2e", "b".repeat(64));
        const run = await cluster("create");
        assert.equal(run.exitCode, 1);
        assert.match(run.stderr, /a kind cluster named `sp-e2e` exists but this stack did not create it/);
        assert.ok(!kind.calls().some((c) => c.argv[0] === "delete"), "no delete of a foreign cluster");
        assert.equal(kind.clusters()["sp-e2e"].id, "b".repeat(64));
    });

    it("cleans up and forgets the cluster when kind create fails", async () => {
        const run = await cluster("create", [], { FAKE_KIND_FAIL_CREATE: "1" });
        assert.equal(run.exitCode, 1);
        assert.match(run.stderr, /failed to create kind cluster `sp-e2e`: exit code 1/);
        assert.match(run.stderr, /failed to init node with kubeadm/);
        assert.equal(readRecord(stateDir), undefined);
        assert.ok(
            kind.calls().some((c) => c.argv.join(" ") === `delete cluster --name sp-e2e --kubeconfig ${kubeconfig}`),
        );
    });

    it("deletes idempotently: a second delete of a gone cluster still succeeds", async () => {
        await cluster("create");
        const first = await cluster("delete");
        const second = await cluster("delete");
        assert.equal(first.exitCode, 0, first.stderr);
        assert.equal(second.exitCode, 0, second.stderr);
        assert.equal(kind.clusters()["sp-e2e"], undefined);
        assert.equal(readRecord(stateDir), undefined);
        assert.equal(fs.existsSync(kubeconfig), false);
    });

    it("runs kind with KIND_EXPERIMENTAL_PROVIDER=podman when the engine is podman", async () => {
        const run = await runStep(
            "cluster",
            [
                "create",
                "--name",
                "sp-e2e",
                "--config-yaml",
                CONFIG,
                "--kubeconfig",
                kubeconfig,
                "--state-dir",
                stateDir,
                "--engine",
                "podman",
                "--engine-bin",
                kind.bin,
                "--kind",
                kind.bin,
            ],
            kind.env(),
        );
        assert.equal(run.exitCode, 0, run.stderr);
        const kindCalls = kind.calls().filter((c) => c.argv[0] !== "inspect");
        assert.ok(kindCalls.length > 0 && kindCalls.every((c) => c.provider === "podman"));
    });

    it("reports status: missing, then present with its identity, then gone once deleted behind the stack's back", async () => {
        const missing = await cluster("status");
        assert.deepEqual(
            { exists: missing.json?.exists, observable: missing.json?.observable, present: missing.json?.present },
            { exists: false, observable: true, present: false },
        );
        const created = await cluster("create");
        const present = await cluster("status");
        assert.equal(present.json?.exists, true);
        assert.equal(present.json?.present, true);
        assert.equal(present.json?.identity, created.json?.identity);
        kind.removeCluster("sp-e2e");
        assert.equal(
            (await cluster("status")).json?.present,
            false,
            "the provider's diff replaces the cluster step on this answer",
        );
    });

    it("fails with exit 2 on a cluster name kind would reject", async () => {
        const run = await runStep(
            "cluster",
            [
                "create",
                "--name",
                "SP_E2E",
                "--state-dir",
                stateDir,
                "--kubeconfig",
                kubeconfig,
                "--config-yaml",
                CONFIG,
            ],
            kind.env(),
        );
        assert.equal(run.exitCode, 2);
        assert.match(run.stderr, /`--name`: `SP_E2E` is not a kind cluster name/);
    });
});
