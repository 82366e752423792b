/**
 * The offline toolchain's runner, cache layout and pins, with actions of the test's own (the real ones take minutes
 * and are exercised by `npm run toolchain -- build`): order, resumption after a failure, rebuilds when a recipe or a
 * dependency changes, and agreement between the pins and the npm packages the engine loads plugins for.
 */
import { NO_PROGRESS } from "../../toolchain/progress.js";
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import type { ToolchainAction, ToolchainContext } from "../../toolchain/action.js";
import { languageHostLauncher, replaceTarget } from "../../toolchain/actions/engine.js";
import { toolchainLayout, toolchainSetId } from "../../lib/toolchain/layout.js";
import { inputsDigest, readDone } from "../../toolchain/cache.js";
import { PINS } from "../../lib/toolchain/pins.js";
import { describeMissing, missingPrerequisites } from "../../toolchain/prerequisites.js";
import { ACTIONS, actionStatuses, buildToolchain } from "../../toolchain/toolchain.js";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { tempDir } from "../support/steps.js";

function fakeContext(): ToolchainContext & { lines: string[] } {
    const lines: string[] = [];
    const root = tempDir("toolchain");
    return {
        layout: toolchainLayout({ KUBERNAUT_E2E_TOOLCHAIN_ROOT: root }),
        pins: PINS,
        log: (l) => lines.push(l),
        progress: NO_PROGRESS,
        podman: "podman",
        env: {},
        lines,
    };
}

function fakeAction(
    name: string,
    ran: string[],
    options: Partial<ToolchainAction> & { fail?: () => boolean } = {},
): ToolchainAction {
    const marker = (ctx: ToolchainContext) => path.join(ctx.layout.setDir, `${name}.out`);
    return {
        name,
        description: `the ${name} thing`,
        revision: 1,
        present: (ctx) => fs.existsSync(marker(ctx)),
        async run(ctx) {
            ran.push(name);
            if (options.fail?.()) throw new Error(`${name} broke`);
            fs.mkdirSync(ctx.layout.setDir, { recursive: true });
            fs.writeFileSync(marker(ctx), name);
        },
        ...options,
    };
}

describe("toolchain runner", () => {
    it("runs every action in order once, then skips what is done", async () => {
        const ctx = fakeContext();
        const ran: string[] = [];
        const actions = [fakeAction("a", ran), fakeAction("b", ran, { needs: ["a"] })];
        const first = await buildToolchain(ctx, {}, actions);
        assert.deepEqual(
            first.built.map((b) => b.name),
            ["a", "b"],
        );
        const second = await buildToolchain(ctx, {}, actions);
        assert.deepEqual([second.built, second.skipped], [[], ["a", "b"]]);
        assert.deepEqual(ran, ["a", "b"]);
        assert.match(ctx.lines.join("\n"), /toolchain: b: done in/);
    });

    it("stops at a failing action naming it, keeps what finished, and resumes after it", async () => {
        const ctx = fakeContext();
        const ran: string[] = [];
        let broken = true;
        const actions = [fakeAction("a", ran), fakeAction("b", ran, { fail: () => broken }), fakeAction("c", ran)];
        await assert.rejects(buildToolchain(ctx, {}, actions), /toolchain: b failed after \d+ s: b broke/);
        assert.ok(readDone(ctx.layout, "a"), "a stays done");
        assert.equal(readDone(ctx.layout, "b"), undefined);
        broken = false;
        const resumed = await buildToolchain(ctx, {}, actions);
        assert.deepEqual(
            resumed.built.map((b) => b.name),
            ["b", "c"],
        );
        assert.deepEqual(ran, ["a", "b", "b", "c"]);
    });

    it("rebuilds an action whose revision changed, whose result vanished, or whose dependency was rebuilt", async () => {
        const ctx = fakeContext();
        const ran: string[] = [];
        await buildToolchain(ctx, {}, [fakeAction("a", ran), fakeAction("b", ran, { needs: ["a"] })]);
        await buildToolchain(ctx, {}, [fakeAction("a", ran, { revision: 2 }), fakeAction("b", ran, { needs: ["a"] })]);
        assert.deepEqual(ran, ["a", "b", "a", "b"], "a new revision of a rebuilds a and then b");
        fs.rmSync(path.join(ctx.layout.setDir, "b.out"));
        const statuses = await actionStatuses(ctx, [
            fakeAction("a", ran, { revision: 2 }),
            fakeAction("b", ran, { needs: ["a"] }),
        ]);
        assert.deepEqual(
            statuses.map((s) => s.done),
            [true, false],
        );
    });

    it("rebuilds an action when one of its input files changes", async () => {
        const ctx = fakeContext();
        const dir = tempDir("inputs");
        fs.writeFileSync(path.join(dir, "recipe.sh"), "one");
        const digest = inputsDigest(dir, ["recipe.sh"]);
        fs.writeFileSync(path.join(dir, "recipe.sh"), "two");
        assert.notEqual(inputsDigest(dir, ["recipe.sh"]), digest);
        // The project's own recipe files are what real actions list; they exist and digest.
        for (const action of ACTIONS)
            for (const input of action.inputs ?? [])
                assert.ok(fs.existsSync(path.join(PROJECT_ROOT, input)), `${action.name}: ${input}`);
        assert.ok(ctx.layout.setDir);
    });

    it("fails on an unknown action name, listing the known ones", async () => {
        await assert.rejects(
            buildToolchain(fakeContext(), { only: ["nope"] }, [fakeAction("a", [])]),
            /unknown toolchain action\(s\) `nope`; known: a/,
        );
    });

    it("refuses --only for an action whose dependency is not built", async () => {
        await assert.rejects(
            buildToolchain(fakeContext(), { only: ["b"] }, [
                fakeAction("a", []),
                fakeAction("b", [], { needs: ["a"] }),
            ]),
            /`b` needs `a`, which is not built/,
        );
    });
});

describe("toolchain layout and pins", () => {
    it("keeps each pinned set in its own directory under the cache, Go's caches beside them", () => {
        const layout = toolchainLayout({ XDG_CACHE_HOME: "/x/cache" });
        assert.equal(layout.setDir, `/x/cache/kubernaut-e2e/toolchain/${toolchainSetId()}`);
        assert.equal(layout.goModCache, "/x/cache/kubernaut-e2e/toolchain/go/mod");
        assert.notEqual(
            toolchainSetId({ ...PINS, kind: { version: "v0.29.0" } } as unknown as typeof PINS),
            toolchainSetId(),
        );
    });

    it("pins the provider plugins at exactly the versions the npm SDKs ask for", () => {
        const lock = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package-lock.json"), "utf8")) as {
            packages: Record<string, { version: string }>;
        };
        assert.equal(lock.packages["node_modules/@pulumi/kubernetes"].version, PINS.providers.kubernetes.version);
        assert.equal(lock.packages["node_modules/@pulumi/pulumi"].version, PINS.pulumi.version);
    });

    it("orders every action after what it needs", () => {
        const seen = new Set<string>();
        for (const action of ACTIONS) {
            for (const need of action.needs ?? [])
                assert.ok(seen.has(need), `${action.name} needs ${need}, which comes later`);
            seen.add(action.name);
        }
    });

    it("reads a replaced module from a go.mod, and quotes the language host's path for sh", () => {
        assert.equal(
            replaceTarget(
                "module x\n\nreplace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-2024\n",
                "github.com/atotto/clipboard",
            ),
            "github.com/tgummerer/clipboard v0.0.0-2024",
        );
        assert.match(
            languageHostLauncher("/opt/it's here/host.js"),
            /^\[ -f "\$entry" \] \|\| entry='\/opt\/it'\\''s here\/host\.js'$/m,
        );
    });

    it("runs the language host of the checkout the engine starts it in, and the fallback elsewhere", async () => {
        const { execa } = await import("execa");
        const dir = tempDir("launcher");
        const checkout = path.join(dir, "checkout");
        fs.mkdirSync(path.join(checkout, "bin", "toolchain", "language-host"), { recursive: true });
        fs.mkdirSync(path.join(checkout, "stacks"));
        fs.writeFileSync(path.join(checkout, "Pulumi.yaml"), "name: x\n");
        fs.writeFileSync(
            path.join(checkout, "bin", "toolchain", "language-host", "index.js"),
            "console.log('checkout', process.argv[2]);\n",
        );
        const fallback = path.join(dir, "fallback.js");
        fs.writeFileSync(fallback, "console.log('fallback', process.argv[2]);\n");
        const launcher = path.join(dir, "pulumi-language-nodejs");
        fs.writeFileSync(launcher, languageHostLauncher(fallback), { mode: 0o755 });
        assert.equal((await execa(launcher, ["a"], { cwd: path.join(checkout, "stacks") })).stdout, "checkout a");
        assert.equal((await execa(launcher, ["b"], { cwd: dir })).stdout, "fallback b");
    });

    it("counts another checkout's launcher as this checkout's language host once this checkout is built", () => {
        const layout = { ...toolchainLayout(), binDir: tempDir("launcher-bin") };
        const action = ACTIONS.find((a) => a.name === "language-host")!;
        const ctx = { layout } as unknown as ToolchainContext;
        fs.writeFileSync(
            path.join(layout.binDir, "pulumi-language-nodejs"),
            languageHostLauncher("/elsewhere/bin/toolchain/language-host/index.js"),
        );
        assert.equal(action.present(ctx), true);
        fs.writeFileSync(
            path.join(layout.binDir, "pulumi-language-nodejs"),
            '#!/bin/sh\nexec node /elsewhere/host.js "$@"\n',
        );
        assert.equal(action.present(ctx), false, "an older launcher is rebuilt");
    });

    it("names every missing prerequisite with the package that provides it", () => {
        const missing = describeMissing(missingPrerequisites({ PATH: tempDir("empty-path") }));
        assert.ok(missing.some((m) => m === "debootstrap (install debootstrap)"));
        assert.ok(missing.some((m) => m.startsWith("podman (install podman)")));
    });
});
