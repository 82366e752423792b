/**
 * Registry delivery against the real engines and Debian's real registry: a content-tagged image is pushed once, a
 * second run (or a second machine, whose store lacks the image) builds and pushes nothing, the other engine pulls what
 * one pushed, a local image is copied under the registry's name once, and a registry that does not answer fails the
 * step with its address.
 */
import { strict as assert } from "node:assert";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { ENGINE_NAMES, type ContainerEngine } from "../../lib/engine.js";
import {
    BASE_IMAGE,
    engineEnv,
    engineRun,
    recordingEngine,
    removeImages,
    requireEngine,
    testEngine,
} from "../support/engines.js";
import { registryTags, startRegistry, type RunningRegistry } from "../support/registry.js";
import { runStep, tempDir, writeTree } from "../support/steps.js";

const pullArgs = (engine: ContainerEngine, ref: string) =>
    engine.name === "podman" ? ["pull", "--tls-verify=false", ref] : ["pull", ref];

describe("registry delivery with the real engines and registry", () => {
    let registry: RunningRegistry;
    before(async () => {
        registry = await startRegistry();
    });
    after(async () => {
        await registry?.stop();
    });

    for (const engineName of ENGINE_NAMES) {
        describe(`with ${engineName}`, () => {
            const engine = testEngine(engineName);
            const other = testEngine(engineName === "docker" ? "podman" : "docker");
            const created = new Set<string>();
            const createdElsewhere = new Set<string>();
            const env = engineEnv();
            let wrapper: string;
            let wrapperLog: string;

            before(async () => {
                await requireEngine(engine);
                ({ bin: wrapper, log: wrapperLog } = recordingEngine(engine, tempDir("wrapper")));
            });
            after(async () => {
                await removeImages(engine, created);
                await removeImages(other, createdElsewhere);
            });

            const calls = () =>
                fs.existsSync(wrapperLog) ? fs.readFileSync(wrapperLog, "utf8").trim().split("\n").filter(Boolean) : [];
            const name = (label: string) => `ke2e-test/${label}-${engineName}-${crypto.randomBytes(4).toString("hex")}`;

            function context(): string {
                const dir = tempDir("ctx");
                writeTree(dir, {
                    Dockerfile: `FROM ${BASE_IMAGE}\nCOPY app.txt /app.txt\n`,
                    "app.txt": `unique ${crypto.randomUUID()}\n`,
                });
                return dir;
            }

            async function buildAndPush(dir: string, repository: string) {
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
                        "--push",
                        "--insecure-registry",
                    ],
                    env,
                );
                if (typeof run.json?.imageRef === "string") created.add(run.json.imageRef);
                return run;
            }

            it("pushes a content-tagged image once; a second run neither builds nor pushes", async () => {
                const repo = name("once");
                const dir = context();
                const first = await buildAndPush(dir, `${registry.host}/${repo}`);
                assert.equal(first.exitCode, 0, first.stderr);
                assert.deepEqual([first.json?.built, first.json?.pushed], [true, true]);
                const tag = String(first.json?.imageRef).split(":").pop();
                assert.deepEqual(await registryTags(registry.host, repo), [tag]);

                fs.writeFileSync(wrapperLog, "");
                const second = await buildAndPush(dir, `${registry.host}/${repo}`);
                assert.equal(second.exitCode, 0, second.stderr);
                assert.deepEqual(
                    [second.json?.imageRef, second.json?.built, second.json?.pushed],
                    [first.json?.imageRef, false, false],
                );
                assert.deepEqual(
                    calls().filter((c) => /^(build|push)\b/.test(c)),
                    [],
                    "the registry's answer alone decides",
                );
            });

            it("on a second machine (the local image gone) builds nothing, and the other engine pulls the pushed image", async () => {
                const repo = name("second");
                const dir = context();
                const first = await buildAndPush(dir, `${registry.host}/${repo}`);
                assert.equal(first.exitCode, 0, first.stderr);
                const ref = String(first.json?.imageRef);
                await engineRun(engine, ["rmi", "-f", ref]);

                fs.writeFileSync(wrapperLog, "");
                const again = await buildAndPush(dir, `${registry.host}/${repo}`);
                assert.deepEqual(
                    [again.exitCode, again.json?.built, again.json?.pushed],
                    [0, false, false],
                    again.stderr,
                );
                assert.deepEqual(
                    calls().filter((c) => /^(build|push)\b/.test(c)),
                    [],
                );
                const local = await runStep("image", ["exists", "--image", ref, "--engine", engineName], env);
                assert.equal(local.json?.present, false, "nothing was built locally");
                const remote = await runStep(
                    "image",
                    ["exists", "--image", ref, "--in-registry", "--insecure-registry", "--engine", engineName],
                    env,
                );
                assert.equal(remote.json?.present, true);

                createdElsewhere.add(ref);
                const pulled = await engineRun(other, pullArgs(other, ref));
                assert.equal(pulled.exitCode, 0, String(pulled.stderr));
                const content = await engineRun(other, [
                    "run",
                    "--rm",
                    ...(other.name === "podman" ? ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096"] : []),
                    ref,
                    "cat",
                    "/app.txt",
                ]);
                assert.equal(
                    String(content.stdout),
                    fs.readFileSync(path.join(dir, "app.txt"), "utf8").trimEnd(),
                    String(content.stderr),
                );
            });

            it("copies a local image under the registry's name once, and leaves no extra tag behind", async () => {
                const to = `${registry.host}/${name("copy")}:busybox`;
                const push = (args: string[] = []) =>
                    runStep(
                        "image",
                        [
                            "push",
                            "--image",
                            BASE_IMAGE,
                            "--to",
                            to,
                            "--insecure-registry",
                            "--engine",
                            engineName,
                            ...args,
                        ],
                        env,
                    );
                const first = await push();
                assert.deepEqual([first.exitCode, first.json?.pushed], [0, true], first.stderr);
                assert.equal(
                    (await engineRun(engine, ["image", "inspect", to])).exitCode === 0,
                    false,
                    "the registry name was only for the push",
                );
                const second = await push();
                assert.deepEqual([second.exitCode, second.json?.pushed], [0, false], second.stderr);
            });

            it("fails when the registry does not answer, naming its address", async () => {
                const closed = `127.0.0.1:${Number(registry.host.split(":")[1]) === 1 ? 2 : 1}`;
                const run = await buildAndPush(context(), `${closed}/${name("nowhere")}`);
                assert.notEqual(run.exitCode, 0);
                assert.match(run.stderr, new RegExp(`the registry at ${closed.replace(/\./g, "\\.")} did not answer`));
            });
        });
    }
});
