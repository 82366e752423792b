/**
 * The `image` step against the real engines: content-addressed builds, no rebuild of an unchanged context, a
 * readable failure, parallel builds, and save/load round trips. Each test builds from a context with unique content,
 * because a machine may be handed on with earlier images.
 */
import { strict as assert } from "node:assert";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { ENGINE_NAMES } from "../../lib/engine.js";
import {
    BASE_IMAGE,
    engineEnv,
    engineRun,
    recordingEngine,
    removeImages,
    requireEngine,
    testEngine,
    uniqueRepository,
} from "../support/engines.js";
import { runStep, tempDir, writeTree } from "../support/steps.js";

for (const engineName of ENGINE_NAMES) {
    describe(`image step with ${engineName}`, () => {
        const engine = testEngine(engineName);
        const created = new Set<string>();
        const env = engineEnv();
        /** An engine binary that logs each call before running the real engine. */
        let wrapper: string;
        let wrapperLog: string;

        before(async () => {
            await requireEngine(engine);
            ({ bin: wrapper, log: wrapperLog } = recordingEngine(engine, tempDir("wrapper")));
        });
        after(() => removeImages(engine, created));

        function context(extra: Record<string, string> = {}): string {
            const dir = tempDir("ctx");
            writeTree(dir, {
                Dockerfile: `FROM ${BASE_IMAGE}\nCOPY app.txt /app.txt\nRUN cat /app.txt\n`,
                "app.txt": `unique ${crypto.randomUUID()}\n`,
                ".dockerignore": "notes/\n*.log\n",
                "notes/todo.txt": "not in the image\n",
                ...extra,
            });
            return dir;
        }

        async function build(dir: string, repository: string, extra: string[] = []) {
            const run = await runStep(
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
                    "--engine-bin",
                    wrapper,
                    ...extra,
                ],
                env,
            );
            if (typeof run.json?.imageRef === "string") created.add(run.json.imageRef);
            return run;
        }

        it("builds once, then reports built:false with the same ref and runs no engine build", async () => {
            const dir = context();
            const repository = uniqueRepository("same");
            const first = await build(dir, repository);
            assert.equal(first.exitCode, 0, first.stderr);
            assert.equal(first.json?.built, true);
            assert.match(String(first.json?.imageRef), new RegExp(`^${repository}:[0-9a-f]{12}$`));
            assert.equal(typeof first.json?.seconds, "number");

            fs.writeFileSync(wrapperLog, "");
            const second = await build(dir, repository);
            assert.equal(second.exitCode, 0, second.stderr);
            assert.deepEqual({ ...second.json, seconds: 0 }, { ...first.json, built: false, seconds: 0 });
            const calls = fs.readFileSync(wrapperLog, "utf8").trim().split("\n");
            assert.ok(
                calls.every((c) => !c.startsWith("build")),
                `no build expected, saw: ${calls.join(" | ")}`,
            );
            assert.ok(
                calls.some((c) => c.startsWith("image inspect")),
                "the step should check the tag first",
            );
        });

        it("gives a new ref when a kept file changes, and the same ref when an ignored file changes", async () => {
            const dir = context();
            const repository = uniqueRepository("change");
            const base = await build(dir, repository);
            assert.equal(base.exitCode, 0, base.stderr);

            fs.writeFileSync(path.join(dir, "notes", "todo.txt"), "edited, still ignored\n");
            fs.writeFileSync(path.join(dir, "debug.log"), "ignored by *.log\n");
            const ignored = await build(dir, repository);
            assert.equal(ignored.json?.imageRef, base.json?.imageRef);
            assert.equal(ignored.json?.built, false);

            fs.appendFileSync(path.join(dir, "app.txt"), "one more line\n");
            const kept = await build(dir, repository);
            assert.equal(kept.exitCode, 0, kept.stderr);
            assert.notEqual(kept.json?.imageRef, base.json?.imageRef);
            assert.equal(kept.json?.built, true);
        });

        it("adds GOFLAGS=-cover with --coverage, which changes the ref", async () => {
            const dir = context({
                Dockerfile: `FROM ${BASE_IMAGE}\nARG GOFLAGS=\nRUN echo "flags=$GOFLAGS" > /flags\n`,
            });
            const repository = uniqueRepository("cover");
            const plain = await build(dir, repository);
            const covered = await build(dir, repository, ["--coverage"]);
            assert.equal(covered.exitCode, 0, covered.stderr);
            assert.notEqual(covered.json?.imageRef, plain.json?.imageRef);
            const flags = await engineRun(engine, [
                "run",
                "--rm",
                ...(engineName === "podman" ? ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096"] : []),
                String(covered.json?.imageRef),
                "cat",
                "/flags",
            ]);
            assert.equal(String(flags.stdout).trim(), "flags=-cover", String(flags.stderr));
        });

        it("fails a broken build with a non-zero exit that names the failing instruction", async () => {
            // RUN first: a step that succeeded before it would stay behind as the engine's layer cache.
            const dir = context({ Dockerfile: `FROM ${BASE_IMAGE}\nRUN exit 3\n` });
            const run = await build(dir, uniqueRepository("broken"));
            assert.equal(run.exitCode, 1);
            assert.match(run.stderr, /the build failed at `RUN exit 3`/);
            assert.equal(run.json, undefined, "a failed build prints no result line");
        });

        it("fails a Dockerfile with an unknown instruction, naming it", async () => {
            const dir = context({ Dockerfile: `FROM ${BASE_IMAGE}\nFROBNICATE everything\n` });
            const run = await build(dir, uniqueRepository("parse"));
            assert.notEqual(run.exitCode, 0);
            assert.match(run.stderr, /frobnicate/i);
        });

        it("runs two builds at once, both succeeding", async () => {
            const [a, b] = await Promise.all([
                build(context(), uniqueRepository("para")),
                build(context(), uniqueRepository("parb")),
            ]);
            assert.equal(a.exitCode, 0, a.stderr);
            assert.equal(b.exitCode, 0, b.stderr);
            assert.equal(a.json?.built, true);
            assert.equal(b.json?.built, true);
        });

        it("saves an archive that the engine loads back", async () => {
            const built = await build(context(), uniqueRepository("save"));
            const ref = String(built.json?.imageRef);
            const archive = path.join(tempDir("archive"), "image.tar");
            const saved = await runStep(
                "image",
                ["save", "--image", ref, "--output", archive, "--engine", engineName],
                env,
            );
            assert.equal(saved.exitCode, 0, saved.stderr);
            assert.ok(Number(saved.json?.bytes) > 0);
            assert.equal(fs.statSync(archive).size, saved.json?.bytes);

            await engineRun(engine, ["rmi", "-f", ref]);
            const gone = await runStep("image", ["exists", "--image", ref, "--engine", engineName], env);
            assert.equal(gone.json?.present, false);
            const loaded = await engineRun(engine, ["load", "-i", archive]);
            assert.equal(loaded.exitCode, 0, String(loaded.stderr));
            const back = await runStep("image", ["exists", "--image", ref, "--engine", engineName], env);
            assert.equal(back.json?.present, true);
        });
    });
}

describe("image step with a Docker client that has no buildx", () => {
    const engine = testEngine("docker");
    const created = new Set<string>();
    after(() => removeImages(engine, created));

    it("warns once and builds with the classic builder, which removes the containers of failed steps", async () => {
        await requireEngine(engine);
        const dir = tempDir("no-buildx");
        const log = path.join(dir, "calls.log");
        // What Docker 23+ clients without the buildx plugin answer to DOCKER_BUILDKIT=1 builds.
        const client = path.join(dir, "docker");
        fs.writeFileSync(
            client,
            [
                "#!/bin/sh",
                `echo "DOCKER_BUILDKIT=$DOCKER_BUILDKIT $*" >> '${log}'`,
                'if [ "$1" = build ] && [ "$DOCKER_BUILDKIT" = 1 ]; then echo "ERROR: BuildKit is enabled but the buildx component is missing or broken." >&2; exit 1; fi',
                `exec '${engine.bin}' "$@"`,
            ].join("\n"),
            { mode: 0o755 },
        );
        const ctx = tempDir("ctx");
        writeTree(ctx, { Dockerfile: `FROM ${BASE_IMAGE}\nRUN echo classic > /built\n`, "x.txt": crypto.randomUUID() });
        const repository = uniqueRepository("classic");
        const run = await runStep(
            "image",
            [
                "build",
                "--context",
                ctx,
                "--dockerfile",
                "Dockerfile",
                "--repository",
                repository,
                "--engine",
                "docker",
                "--engine-bin",
                client,
            ],
            engineEnv(),
        );
        if (typeof run.json?.imageRef === "string") created.add(run.json.imageRef);
        assert.equal(run.exitCode, 0, run.stderr);
        assert.equal(run.json?.built, true);
        assert.equal(run.stderr.match(/has no buildx/g)?.length, 1, run.stderr);
        const builds = fs
            .readFileSync(log, "utf8")
            .split("\n")
            .filter((line) => line.includes(" build -t "));
        assert.deepEqual(
            builds.map((line) => line.split(" ")[0]),
            ["DOCKER_BUILDKIT=1", "DOCKER_BUILDKIT=0"],
        );
        assert.match(builds[1], /--force-rm/);
    });
});

describe("image step arguments", () => {
    it("fails with exit 2 naming the flag when the repository has shell metacharacters", async () => {
        const dir = tempDir("args");
        writeTree(dir, { Dockerfile: `FROM ${BASE_IMAGE}\n` });
        const run = await runStep(
            "image",
            ["build", "--context", dir, "--dockerfile", "Dockerfile", "--repository", "x;rm -rf /"],
            engineEnv(),
        );
        assert.equal(run.exitCode, 2);
        assert.match(run.stderr, /`--repository`: `x;rm -rf \/` is not an image repository/);
    });

    it("fails a build whose inputs give another tag than the one the stack promised, naming both", async () => {
        const dir = tempDir("args");
        writeTree(dir, { Dockerfile: `FROM ${BASE_IMAGE}\n` });
        const argv = [
            "build",
            "--context",
            dir,
            "--dockerfile",
            "Dockerfile",
            "--repository",
            "localhost/x",
            "--dry-run",
        ];
        const ok = await runStep("image", argv, engineEnv());
        assert.equal(ok.exitCode, 0, ok.stderr);
        const promised = String(ok.json?.imageRef);
        assert.equal(
            (await runStep("image", [...argv, "--promised-ref", promised], engineEnv())).exitCode,
            0,
            "the tag it promised",
        );
        const run = await runStep("image", [...argv, "--promised-ref", "localhost/x:000000000000"], engineEnv());
        assert.equal(run.exitCode, 1);
        assert.match(
            run.stderr,
            new RegExp(
                `promised \`localhost/x:000000000000\`, but these inputs give \`${promised.replace(/[.]/g, "\\.")}\``,
            ),
        );
    });

    it("fails with exit 2 when the Dockerfile is missing", async () => {
        const run = await runStep(
            "image",
            ["build", "--context", tempDir("args"), "--dockerfile", "Nope.Dockerfile", "--repository", "localhost/x"],
            engineEnv(),
        );
        assert.equal(run.exitCode, 2);
        assert.match(run.stderr, /`--dockerfile`: `.*Nope\.Dockerfile` does not exist/);
    });
});
