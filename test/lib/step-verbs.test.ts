/**
 * The step contract: every verb's flags declared once, from which come a component's request, the arguments the
 * provider runs, the step's parser and `--help`, and what the policy reads. A request written as arguments and parsed
 * by the step gives back the request's values; a renamed or unknown flag fails where it is used.
 */
import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { stepHandler } from "../../provider/step.js";
import { canonicalArgv, requestFlags, STEP_VERBS, stepArgv, stepRequest, verbDef } from "../../lib/step-verbs.js";
import { request } from "../../components/local/step.js";
import { run as imageStep } from "../../steps/image.js";
import { run as clusterStep } from "../../steps/cluster.js";
import { verbSpec } from "../../steps/support/verb.js";

const io = (lines: string[]) => ({ out: (l: string) => lines.push(l), log: () => undefined, env: {} });

describe("step contract", () => {
    it("writes a request's flags in the verb's declared order, whatever order the object has", () => {
        const argv = stepArgv({
            step: "load",
            verb: "image",
            flags: { "archive-dir": "/a", engine: "podman", cluster: "c", image: "localhost/x:1" },
        });
        assert.deepEqual(argv, [
            "image",
            "--image",
            "localhost/x:1",
            "--cluster",
            "c",
            "--archive-dir",
            "/a",
            "--engine",
            "podman",
        ]);
    });

    it("writes each kind of flag: repeated values, K=V records, booleans, numbers, JSON and YAML with sorted keys", () => {
        const build = stepArgv({
            step: "image",
            verb: "build",
            flags: {
                context: "/c",
                dockerfile: "D",
                repository: "localhost/r",
                "go-package": ["./cmd/a", "./cmd/b"],
                "build-arg": { B: "2", A: "1" },
                coverage: true,
                push: false,
            },
        });
        assert.deepEqual(build, [
            "build",
            "--context",
            "/c",
            "--dockerfile",
            "D",
            "--repository",
            "localhost/r",
            "--go-package",
            "./cmd/a",
            "--go-package",
            "./cmd/b",
            "--build-arg",
            "B=2",
            "--build-arg",
            "A=1",
            "--coverage",
        ]);
        const cluster = stepArgv({
            step: "cluster",
            verb: "create",
            flags: {
                name: "n",
                "state-dir": "/s",
                "config-yaml": { nodes: [{ role: "control-plane" }], kind: "Cluster" },
                "wait-seconds": 90,
            },
        });
        assert.deepEqual(cluster.slice(cluster.indexOf("--config-yaml")), [
            "--config-yaml",
            "kind: Cluster\nnodes:\n  - role: control-plane\n",
            "--wait-seconds",
            "90",
        ]);
        const awx = stepArgv({
            step: "awx",
            verb: "configure",
            flags: { url: "http://x", templates: [{ playbook: "p.yml", name: "t", description: "" }] },
        });
        assert.equal(awx[awx.indexOf("--templates") + 1], '[{"description":"","name":"t","playbook":"p.yml"}]');
    });

    it("refuses a flag the verb does not declare, in a component's request and in the arguments", () => {
        assert.throws(
            () => stepRequest("image", "pull", { image: "x:1", tag: "y" } as never),
            /image pull: unknown flag\(s\) --tag/,
        );
        assert.throws(
            () => request("image", "pull", { image: "x:1", tag: "y" } as never),
            /step `image pull` has no flag --tag/,
        );
        assert.throws(
            () => stepArgv({ step: "file", verb: "write", flags: { file: "/x" } }),
            /file write: unknown flag\(s\) --file/,
        );
        assert.throws(() => verbDef("image", "tag"), /no step verb `image tag`/);
    });

    it("parses, for every verb, the arguments a request writes back into that request's values", async () => {
        const cases = [
            stepRequest("image", "build", {
                context: "/c",
                dockerfile: "D",
                repository: "localhost/r",
                "build-arg": { GOARCH: "amd64" },
                go: true,
                "go-package": ["./cmd/x"],
                push: true,
            }),
            stepRequest("kube", "patch-status", {
                kubeconfig: "/k",
                namespace: "ns",
                resource: "actiontypes.kubernaut.ai",
                name: ["a", "b"],
                patch: ['{"status":{}}'],
                "registered-at-now": true,
            }),
            stepRequest("cluster", "create", {
                name: "c1",
                "state-dir": "/s",
                "config-yaml": { kind: "Cluster", nodes: [] },
                "wait-seconds": 300,
                "ensure-dir": ["/d"],
            }),
            stepRequest("awx", "configure", {
                url: "http://127.0.0.1:30095",
                templates: [{ name: "t", playbook: "p.yml", description: "d", askCredential: true }],
                "timeout-seconds": 900,
            }),
        ];
        for (const r of cases) {
            let parsed: Record<string, unknown> | undefined;
            const spec = verbSpec(r.step, r.verb as never, async (flags) => {
                parsed = flags;
                return 0;
            });
            const argv = stepArgv(r).slice(1);
            const { command } = await import("../../lib/command-line.js");
            await command(`${r.step} ${r.verb}`, spec)(argv, io([]));
            for (const [key, value] of Object.entries(r.flags))
                assert.deepEqual(parsed?.[key], value, `${r.step} ${r.verb} --${key}`);
        }
    });

    it("gives each step's --help every declared flag of a verb, with its description", async () => {
        for (const [step, run] of [
            ["image", imageStep],
            ["cluster", clusterStep],
        ] as const) {
            // A verb's help goes where commander writes it: the process's standard output.
            const lines: string[] = [];
            const write = process.stdout.write.bind(process.stdout);
            process.stdout.write = (chunk: string) => lines.push(String(chunk)) > 0;
            try {
                await run([step === "image" ? "build" : "create", "--help"], io(lines));
            } finally {
                process.stdout.write = write;
            }
            const help = lines.join("\n");
            for (const [name, flag] of Object.entries(verbDef(step, step === "image" ? "build" : "create").flags)) {
                assert.match(help, new RegExp(`--${name}`), `${step}: --${name}`);
                assert.ok(
                    help.replace(/\s+/g, " ").includes(flag.description.replace(/\s+/g, " ").slice(0, 30)),
                    `${step} --${name}'s description`,
                );
            }
        }
        assert.ok(Object.keys(STEP_VERBS).length === 6);
    });

    it("reads a plan's typed request back for the policy and the plan tools", () => {
        const inputs = {
            step: "image",
            create: { verb: "build", flags: { context: "/c", dockerfile: "/c/D", repository: "r" } },
        };
        assert.equal(requestFlags(inputs, "image", "build")?.dockerfile, "/c/D");
        assert.equal(requestFlags(inputs, "image", "pull"), undefined);
        assert.equal(requestFlags({ ...inputs, step: "load" }, "image", "build"), undefined);
    });
});

describe("the provider's comparison of argument lists", () => {
    const handler = stepHandler({ log: () => undefined });

    it("puts flags in name order, a repeated flag's values in theirs", () => {
        assert.deepEqual(canonicalArgv(["x", "--b", "1", "--a", "--c", "3", "--b", "2"]), [
            "x",
            "--a",
            "--b",
            "1",
            "--b",
            "2",
            "--c",
            "3",
        ]);
    });

    it("sees no change between the arguments an older version stored and the same request", async () => {
        const older = {
            step: "load",
            create: [
                "image",
                "--image",
                "localhost/x:1",
                "--cluster",
                "c",
                "--archive-dir",
                "/a",
                "--engine",
                "podman",
                "--engine-bin",
                "podman",
            ],
            triggers: ["x"],
        };
        const request = {
            step: "load",
            create: {
                verb: "image",
                flags: {
                    engine: "podman",
                    "engine-bin": "podman",
                    image: "localhost/x:1",
                    cluster: "c",
                    "archive-dir": "/a",
                },
            },
            triggers: ["x"],
        };
        assert.equal((await handler.diff({ ...older, result: {} }, request)).changes, false);
        const moved = {
            ...request,
            create: { verb: "image", flags: { ...request.create.flags, "archive-dir": "/b" } },
        };
        assert.deepEqual((await handler.diff({ ...older, result: {} }, moved)).diffs, ["create"]);
    });
});
