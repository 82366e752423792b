import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { createDecision, recordedClusterPresent, type ClusterRecord } from "../../steps/support/cluster-record.js";
import { identityArgs, kindArgs, kindTool } from "../../steps/support/kind.js";

describe("kind command lines", () => {
    it("builds every argv kind is run with", () => {
        assert.deepEqual(kindArgs.create("sp", "/w/kind.yaml", "/w/kubeconfig", 60), [
            "create",
            "cluster",
            "--name",
            "sp",
            "--config",
            "/w/kind.yaml",
            "--kubeconfig",
            "/w/kubeconfig",
            "--wait",
            "60s",
        ]);
        assert.deepEqual(kindArgs.delete("sp", "/w/kubeconfig"), [
            "delete",
            "cluster",
            "--name",
            "sp",
            "--kubeconfig",
            "/w/kubeconfig",
        ]);
        assert.deepEqual(kindArgs.delete("sp"), ["delete", "cluster", "--name", "sp"]);
        assert.deepEqual(kindArgs.getKubeconfig("sp"), ["get", "kubeconfig", "--name", "sp"]);
        assert.deepEqual(kindArgs.getClusters(), ["get", "clusters"]);
        assert.deepEqual(kindArgs.loadArchive("sp", "/w/a.tar"), ["load", "image-archive", "/w/a.tar", "--name", "sp"]);
        assert.deepEqual(identityArgs("sp"), ["inspect", "--format", "{{.Id}}", "sp-control-plane"]);
    });

    it("keeps a value with shell metacharacters as one argument", () => {
        assert.deepEqual(kindArgs.loadArchive("sp", "/w/a b;$(x).tar").slice(2, 3), ["/w/a b;$(x).tar"]);
    });

    it("selects kind's podman provider only for podman", () => {
        assert.deepEqual(kindTool({ name: "podman", bin: "podman" }, {}).env, { KIND_EXPERIMENTAL_PROVIDER: "podman" });
        assert.deepEqual(kindTool({ name: "docker", bin: "docker" }, {}).env, {});
        assert.equal(kindTool({ name: "docker", bin: "docker" }, { KUBERNAUT_E2E_KIND: "/opt/kind" }).bin, "/opt/kind");
    });
});

describe("cluster presence and create decisions", () => {
    const ready: ClusterRecord = { name: "sp", phase: "ready", identity: "abcdef0123456789" };

    it("reports the recorded cluster present while it is there, or when kind cannot be asked", () => {
        assert.equal(recordedClusterPresent(ready, { observable: true, exists: true, identity: ready.identity }), true);
        assert.equal(recordedClusterPresent(ready, { observable: false, exists: false }), true);
    });

    it("reports it gone when it vanished, was replaced by hand, never completed, or was never recorded", () => {
        assert.equal(recordedClusterPresent(ready, { observable: true, exists: false }), false);
        assert.equal(recordedClusterPresent(ready, { observable: true, exists: true, identity: "other" }), false);
        assert.equal(
            recordedClusterPresent(
                { ...ready, phase: "creating" },
                { observable: true, exists: true, identity: ready.identity },
            ),
            false,
        );
        assert.equal(
            recordedClusterPresent(undefined, { observable: true, exists: true, identity: ready.identity }),
            false,
        );
    });

    it("adopts only a complete cluster it recorded, replaces its own leftovers, refuses foreign ones", () => {
        assert.equal(createDecision(undefined, { observable: true, exists: false }), "create");
        assert.equal(createDecision(ready, { observable: true, exists: true, identity: ready.identity }), "adopt");
        assert.equal(
            createDecision(
                { ...ready, phase: "creating" },
                { observable: true, exists: true, identity: ready.identity },
            ),
            "replace-own",
        );
        assert.equal(createDecision(ready, { observable: true, exists: true, identity: "other" }), "replace-own");
        assert.equal(createDecision(undefined, { observable: true, exists: true, identity: "x" }), "refuse-foreign");
    });
});
