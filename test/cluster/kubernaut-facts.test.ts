/**
 * Facts about a real Kubernaut checkout (see `kubernautRoot`: `KUBERNAUT_ROOT`, the toolchain's pinned tree, or
 * `../kubernaut`) that the lanes depend on, checked against it: the workflow identities computed here equal those of
 * Kubernaut's seeding for its own fixtures (the values below were computed independently, by a separate Python
 * reimplementation of its Go code, from its files at d5a4a870), and every checkout path a lane reads exists there.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { WORKFLOW_FIXTURES_DIR } from "../../components/kubernetes/remediation-workflows.js";
import { workflowIdentity } from "../../lib/workflow-identity.js";
import { LANES } from "../../stacks/lanes.js";
import { kubernautRoot } from "./support/kubernaut-checkout.js";

const KNOWN: Record<string, string> = {
    "oomkill-increase-memory": "35665f23-e550-5684-a6c9-c0f7b727b068",
    "crashloop-config-fix": "2074d955-5883-5818-be0d-fa7d45b36866",
    "node-drain-reboot": "179d5e50-b477-5a4b-a3e1-cdd0e08be83a",
    "memory-optimize": "4808c3f7-732b-5bd8-bad4-998891d047f8",
    "generic-restart": "6c11a65d-8d98-5f2f-b90e-b2c0e73016a9",
    "test-signal-handler": "b08b6906-74e4-508d-ab5d-9ad6d780af3d",
    "image-pull-backoff-fix-credentials": "e9f32d2c-d585-5ec5-a3e9-5b5c497e9d21",
    "param-validation-test": "39f8631b-580e-5344-8f71-e3f50c945f62",
    "ambiguous-kind-fix": "0f480170-15d1-5ca3-bc63-090bc6a13cd2",
    "istio-authz-fix": "e68cd334-be72-507b-bb81-d4ac21dd7bce",
};

describe("a real Kubernaut checkout", () => {
    it("gives each seeded workflow the catalogue UUID Kubernaut's seeding gives it", () => {
        const root = kubernautRoot();
        for (const [dir, workflowId] of Object.entries(KNOWN)) {
            const doc = parse(
                fs.readFileSync(path.join(root, WORKFLOW_FIXTURES_DIR, dir, "workflow-schema.yaml"), "utf8"),
            );
            assert.equal(workflowIdentity(doc).workflowId, workflowId, dir);
        }
    });

    it("holds every Dockerfile the lanes build", () => {
        const root = kubernautRoot();
        const missing = Object.values(LANES)
            .flatMap((lane) => Object.values(lane.images).map((i) => i.dockerfile))
            .filter((f) => !fs.existsSync(path.join(root, f)));
        assert.deepEqual([...new Set(missing)], []);
    });
});
