/** bench:versus's pieces that need no cluster: Kubernaut's setup change at the pinned commit, and its phase lines. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { resolveKubernautRoot } from "../../lib/kubernaut-source.js";
import { PROFILE_ENV, readToolchainProfile } from "../../lib/toolchain/profile.js";
import { applyEdits } from "../../tools/handoff/edits.js";
import {
    setupOnlyInputs,
    setupOnlyTest,
    setupPhases,
    KUBERNAUT_SETUP_LANES,
} from "../../tools/versus/kubernaut-setup.js";

function pinnedTree(): string {
    const profile = readToolchainProfile({ ...process.env, [PROFILE_ENV]: "" });
    const tree = profile?.kubernautRoot ?? resolveKubernautRoot(undefined, process.env).root;
    if (!fs.existsSync(path.join(tree, "go.mod")))
        assert.fail(`no Kubernaut tree at ${tree}: build the toolchain (npm run setup) or set KUBERNAUT_ROOT`);
    return tree;
}

describe("Kubernaut's own setup, made runnable offline", () => {
    for (const stack of Object.keys(KUBERNAUT_SETUP_LANES)) {
        it(`${stack}: every env-gated edit finds its anchor at the pinned commit, and the setup call exists`, () => {
            const inputs = setupOnlyInputs(stack);
            const dir = path.join(pinnedTree(), inputs.dir);
            const byFile = new Map<string, typeof inputs.edits>();
            for (const e of inputs.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
            for (const [file, edits] of byFile) {
                const text = applyEdits(fs.readFileSync(path.join(dir, file), "utf8"), edits, file);
                // With no variable set, the code does what it did: every change reads one of these first.
                assert.match(
                    text,
                    /E2E_(BUILDER_IMAGE|OFFLINE_IMAGES|SKIP_KIND_VERSION_CHECK|KIND_NODE_IMAGE|PRELOAD_IMAGES)/,
                );
            }
            const call = /infrastructure\.(\w+)\(/.exec(KUBERNAUT_SETUP_LANES[stack].call)![1];
            const infra = path.join(pinnedTree(), "test", "infrastructure");
            const defined = fs
                .readdirSync(infra)
                .filter((f) => f.endsWith(".go"))
                .some((f) => fs.readFileSync(path.join(infra, f), "utf8").includes(`func ${call}(`));
            assert.ok(defined, `${call} is not in test/infrastructure`);
            assert.match(setupOnlyTest(KUBERNAUT_SETUP_LANES[stack]), /^\/\/go:build kubernaut_e2e_setup_only\n/);
        });
    }

    it("reads the phases from the stamped lines, up to the successful end", () => {
        const out = [
            "2026-12-07T10:00:00.000Z SETUP-ONLY BEGIN",
            "2026-12-07T10:00:00.100Z 📦 PHASE 1: Building images in parallel...",
            "2026-12-07T10:01:03.500Z 📦 PHASE 2: Creating Kind cluster + CRDs + namespace...",
            "2026-12-07T10:01:30.000Z ⚡ PHASE 3: Loading images + Deploying infrastructure...",
            "2026-12-07T10:02:00.000Z 📦 PHASE 4: Applying migrations + Deploying DataStorage...",
            "2026-12-07T10:03:00.000Z SETUP-ONLY END ok=true elapsed=180.0s",
        ].join("\n");
        assert.deepEqual(setupPhases(out), { build: 63.4, cluster: 26.5, load: 30, deploy: 60, total: 180 });
        assert.equal(setupPhases(out.replace("ok=true", "ok=false")).total, undefined, "a failed setup has no total");
    });
});
