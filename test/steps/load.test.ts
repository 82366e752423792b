/** The `load` step: a real engine saves the image, a fake kind receives the archive; the archive is removed. */
import { strict as assert } from "node:assert";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import { after, before, describe, it } from "node:test";
import { ENGINE_NAMES } from "../../lib/engine.js";
import { BASE_IMAGE, engineEnv, removeImages, requireEngine, testEngine } from "../support/engines.js";
import { makeFakeKind } from "../support/fake-kind.js";
import { runStep, tempDir, writeTree } from "../support/steps.js";

for (const engineName of ENGINE_NAMES) {
    describe(`load step with ${engineName}`, () => {
        const engine = testEngine(engineName);
        const repository = `localhost/ke2e-test/load-${crypto.randomBytes(4).toString("hex")}`;
        let ref = "";

        before(async () => {
            await requireEngine(engine);
            const dir = tempDir("load-ctx");
            writeTree(dir, { Dockerfile: `FROM ${BASE_IMAGE}\nCOPY x /x\n`, x: crypto.randomUUID() });
            // Built by the image step, so a Docker client without buildx builds too (the step falls back).
            const built = await runStep(
                "image",
                [
                    "build",
                    "--context",
                    dir,
                    "--dockerfile",
                    "Dockerfile",
                    "--repository",
                    repository,
                    "--engine",
                    engineName,
                ],
                engineEnv(),
            );
            assert.equal(built.exitCode, 0, built.stderr);
            ref = String(built.json?.imageRef);
        });
        after(() => removeImages(engine, [ref]));

        it("saves to an archive in the stack's directory, loads it with kind image-archive, then removes it", async () => {
            const kind = makeFakeKind();
            kind.addCluster("sp-e2e", "c".repeat(64));
            const archiveDir = tempDir("archives");
            const run = await runStep(
                "load",
                [
                    "image",
                    "--image",
                    ref,
                    "--cluster",
                    "sp-e2e",
                    "--archive-dir",
                    archiveDir,
                    "--engine",
                    engineName,
                    "--kind",
                    kind.bin,
                ],
                { ...engineEnv(), ...kind.env() },
            );
            assert.equal(run.exitCode, 0, run.stderr);
            const load = kind.calls().find((c) => c.argv[0] === "load");
            assert.ok(load, "kind load was called");
            assert.deepEqual(
                [load.argv[0], load.argv[1], load.argv[3], load.argv[4]],
                ["load", "image-archive", "--name", "sp-e2e"],
            );
            assert.ok(load.argv[2].startsWith(archiveDir), `archive ${load.argv[2]} should be under ${archiveDir}`);
            assert.equal(load.provider, engineName === "podman" ? "podman" : null);
            const loaded = (kind.clusters()["sp-e2e"] as unknown as { loaded: { size: number }[] }).loaded;
            assert.equal(loaded[0].size, run.json?.bytes);
            assert.equal(
                fs.existsSync(archiveDir),
                false,
                "the archive, and its directory once empty, are removed after the load",
            );
        });

        it("fails naming the image when it is not in the engine's store", async () => {
            const kind = makeFakeKind();
            const run = await runStep(
                "load",
                [
                    "image",
                    "--image",
                    "localhost/ke2e-test/absent:1",
                    "--cluster",
                    "sp-e2e",
                    "--archive-dir",
                    tempDir("archives"),
                    "--engine",
                    engineName,
                    "--kind",
                    kind.bin,
                ],
                { ...engineEnv(), ...kind.env() },
            );
            assert.equal(run.exitCode, 1);
            assert.match(run.stderr, /image `localhost\/ke2e-test\/absent:1` is not in .*local store/);
            assert.equal(kind.calls().length, 0);
        });

        it("removes the archive even when kind fails", async () => {
            const kind = makeFakeKind(); // no cluster: the fake kind refuses the load
            const archiveDir = tempDir("archives");
            const run = await runStep(
                "load",
                [
                    "image",
                    "--image",
                    ref,
                    "--cluster",
                    "sp-e2e",
                    "--archive-dir",
                    archiveDir,
                    "--engine",
                    engineName,
                    "--kind",
                    kind.bin,
                ],
                { ...engineEnv(), ...kind.env() },
            );
            assert.equal(run.exitCode, 1);
            assert.match(run.stderr, /failed to load `.*` into cluster `sp-e2e`/);
            assert.equal(fs.existsSync(archiveDir), false, "the archive, and its directory once empty, are removed");
        });
    });
}
