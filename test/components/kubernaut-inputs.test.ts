/** What the SP components read from a Kubernaut checkout, and how they fail on a checkout they cannot use. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { KubernautSource, resolveKubernautRoot } from "../../lib/kubernaut-source.js";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { planStack } from "../../tools/plan-stack.js";
import { rejection } from "../support/plan.js";
import { tempDir } from "../support/steps.js";

const FIXTURE = path.join(PROJECT_ROOT, "test", "fixtures", "kubernaut");

function copyFixture(): string {
    const dir = tempDir("kubernaut");
    fs.cpSync(FIXTURE, dir, { recursive: true });
    return dir;
}

describe("Kubernaut checkout", () => {
    it("resolves the root from config, then KUBERNAUT_ROOT, then ../kubernaut", () => {
        assert.deepEqual(resolveKubernautRoot("/src/k", { KUBERNAUT_ROOT: "/env/k" }), {
            root: "/src/k",
            from: "`kubernaut-e2e:kubernautRoot`",
        });
        assert.deepEqual(resolveKubernautRoot(undefined, { KUBERNAUT_ROOT: "/env/k" }), {
            root: "/env/k",
            from: "`KUBERNAUT_ROOT`",
        });
        assert.equal(resolveKubernautRoot(undefined, {}).root, path.resolve(PROJECT_ROOT, "..", "kubernaut"));
    });

    it("fails naming a missing root", () => {
        assert.throws(
            () => KubernautSource.open("/nonexistent/kubernaut", "`KUBERNAUT_ROOT`", []),
            /Kubernaut checkout at \/nonexistent\/kubernaut \(from `KUBERNAUT_ROOT`\) is missing what this stack reads:\n {2}- \/nonexistent\/kubernaut \(the root itself\)/,
        );
    });

    it("fails naming the file when a YAML file does not parse", async () => {
        const dir = copyFixture();
        fs.writeFileSync(
            path.join(dir, "deploy", "data-storage", "service-rbac.yaml"),
            "kind: ServiceAccount\nmetadata: [unclosed\n",
        );
        const err = await rejection(() =>
            planStack("signalprocessing-e2e", { configOverrides: { "kubernaut-e2e:kubernautRoot": dir } }),
        );
        assert.match(err.message, /service-rbac\.yaml: invalid YAML/);
    });

    it("fails when the CRD directory holds something that is not a CRD", async () => {
        const dir = copyFixture();
        fs.writeFileSync(
            path.join(dir, "config", "crd", "bases", "zz-extra.yaml"),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
        );
        const err = await rejection(() =>
            planStack("signalprocessing-e2e", { configOverrides: { "kubernaut-e2e:kubernautRoot": dir } }),
        );
        assert.match(err.message, /zz-extra\.yaml: expected CustomResourceDefinition documents, got `ConfigMap`/);
    });

    it("fails when the checkout has no ActionType CRD to seed", async () => {
        const dir = copyFixture();
        fs.rmSync(path.join(dir, "config", "crd", "bases", "kubernaut.ai_actiontypes.yaml"));
        const err = await rejection(() =>
            planStack("signalprocessing-e2e", { configOverrides: { "kubernaut-e2e:kubernautRoot": dir } }),
        );
        assert.match(err.message, /no CRD defines kind `ActionType`; known kinds: .*SignalProcessing/);
    });

    it("fails when DataStorage's RBAC files lack the objects the lane binds to", async () => {
        const dir = copyFixture();
        fs.writeFileSync(
            path.join(dir, "deploy", "data-storage", "client-rbac-v2.yaml"),
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: something-else\nrules: []\n",
        );
        const err = await rejection(() =>
            planStack("signalprocessing-e2e", { configOverrides: { "kubernaut-e2e:kubernautRoot": dir } }),
        );
        assert.match(err.message, /must define ClusterRole `data-storage-client`/);
    });
});
