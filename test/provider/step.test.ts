/**
 * The provider's step handler, called as the engine calls it: what replaces and what updates a step, the observe
 * check, previews that run nothing, secrets kept as secrets, and real step programs run by absolute path.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { secretValue, UNKNOWN } from "../../lib/property-values.js";
import type { EngineLog } from "../../provider/engine-log.js";
import { runStep, stepHandler } from "../../provider/step.js";
import { tempDir } from "../support/steps.js";

const URN = "urn:pulumi:s::kubernaut-e2e::kubernaut-e2e-local:index:Step::ca-file";

function recordingLog() {
    const lines: string[] = [];
    const log: EngineLog = { log: (_urn, _level, message) => lines.push(message) };
    return { log, lines };
}

describe("provider step handler", () => {
    const handler = stepHandler(recordingLog().log);
    const base = {
        step: "file",
        create: ["write", "--path", "/tmp/x"],
        delete: ["delete", "--path", "/tmp/x"],
        triggers: ["a"],
    };

    it("replaces a step whose triggers changed, the new one first unless it names the same thing on the host", async () => {
        const diff = await handler.diff({ ...base, result: {} }, { ...base, triggers: ["b"] });
        assert.deepEqual([diff.changes, diff.replaces, diff.deleteBeforeReplace], [true, ["triggers"], false]);
        const named = { ...base, deleteBeforeReplace: true };
        assert.equal(
            (await handler.diff({ ...named, result: {} }, { ...named, triggers: ["b"] })).deleteBeforeReplace,
            true,
        );
    });

    it("updates (re-runs create) a step whose arguments changed but whose triggers did not", async () => {
        const diff = await handler.diff(
            { ...base, result: {} },
            { ...base, create: ["write", "--path", "/tmp/x", "--mode", "0600"] },
        );
        assert.deepEqual([diff.changes, diff.replaces, diff.diffs], [true, [], ["create"]]);
    });

    it("reports no change when only secret wrapping differs", async () => {
        const diff = await handler.diff({ ...base, stdin: "pem", result: {} }, { ...base, stdin: secretValue("pem") });
        assert.equal(diff.changes, false);
    });

    it("replaces when a trigger is unknown during preview", async () => {
        const diff = await handler.diff({ ...base, result: {} }, { ...base, triggers: [UNKNOWN] });
        assert.deepEqual(diff.replaces, ["triggers"]);
    });

    it("replaces an unchanged step whose observe check says its work is gone", async () => {
        const dir = tempDir("observe");
        const file = path.join(dir, "missing");
        const inputs = {
            step: "image",
            create: ["build"],
            observe: [
                "exists",
                "--image",
                "localhost/ke2e-test/never-built:1",
                "--engine",
                "docker",
                "--engine-bin",
                "/bin/false",
            ],
            triggers: [file],
        };
        const diff = await handler.diff({ ...inputs, result: {} }, inputs);
        assert.deepEqual([diff.changes, diff.replaces], [true, ["observe"]]);
    });

    it("runs nothing in a preview: create returns the inputs, update keeps the previous result", async () => {
        const dir = tempDir("preview");
        const target = path.join(dir, "never");
        const news = { step: "file", create: ["write", "--path", target], stdin: "x" };
        const created = await handler.create(URN, news, true);
        assert.equal(created.outs.result, undefined, "unknown until applied");
        const updated = await handler.update(URN, { ...news, result: { path: target, bytes: 1 } }, news, true);
        assert.deepEqual(updated.result, { path: target, bytes: 1 });
        assert.equal(fs.existsSync(target), false);
    });

    it("runs the step program on create and delete, keeps secret inputs wrapped, and records its JSON result", async () => {
        const dir = tempDir("create");
        const target = path.join(dir, "ca.pem");
        const { log, lines } = recordingLog();
        const withLog = stepHandler(log);
        const news = {
            step: "file",
            create: ["write", "--path", target, "--mode", "0640"],
            delete: ["delete", "--path", target],
            stdin: secretValue("-----BEGIN CERTIFICATE-----\n"),
        };
        const created = await withLog.create(URN, news, false);
        assert.equal(fs.readFileSync(target, "utf8"), "-----BEGIN CERTIFICATE-----\n");
        assert.equal(fs.statSync(target).mode & 0o777, 0o640);
        assert.deepEqual(created.outs.result, { path: target, bytes: 28 });
        assert.deepEqual(created.outs.stdin, news.stdin, "the secret stays wrapped in state");
        await withLog.delete(URN, created.outs);
        assert.equal(fs.existsSync(target), false);
        assert.ok(Array.isArray(lines));
    });

    it("fails with the step's own message when the program fails", async () => {
        await assert.rejects(
            runStep("file", ["write", "--path", "relative/path"], { stdin: "x" }),
            /step `file write` failed:\n.*`--path`: must be an absolute path/s,
        );
    });

    it("fails a check naming the property, before anything runs", async () => {
        const checked = await handler.check({}, { step: "shell", create: [] });
        assert.deepEqual(checked.failures.map((f) => f.property).sort(), ["create", "step"]);
    });

    it("drops a step from state on refresh when its observe check says it is gone", async () => {
        const props = {
            step: "image",
            create: ["build"],
            observe: [
                "exists",
                "--image",
                "localhost/ke2e-test/never-built:1",
                "--engine",
                "docker",
                "--engine-bin",
                "/bin/false",
            ],
            result: {},
        };
        assert.deepEqual(await handler.read("id-1", props), { id: "", props: {} });
        assert.deepEqual(await handler.read("id-2", { step: "file", create: ["write"] }), {
            id: "id-2",
            props: { step: "file", create: ["write"] },
        });
    });
});
