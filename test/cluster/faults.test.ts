/**
 * smoke-e2e through faults, each converging on the next run: the cluster deleted behind the stack's back, `up`
 * interrupted (Ctrl-C) during the builds and again during the deployments, a container that exits (the failure names
 * the Deployment and shows its Pods' events and logs), and `destroy` with the cluster already gone.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { execa } from "execa";
import { EVENT_LOG_ENV } from "../../lib/pulumi-cli.js";
import {
    BUSYBOX_BASE,
    changed,
    deleteClusters,
    eventuallyFetch,
    freePort,
    podmanImagesSnapshot,
    ProjectCopy,
    requireToolchain,
    stepsOf,
    uniqueName,
    type Toolchain,
} from "./support/harness.js";

const STACK = "smoke-e2e";

/** Resolves once `file` has a line matching `pattern` (the engine's event log, while it runs). */
async function lineAppears(file: string, pattern: RegExp, seconds = 300): Promise<void> {
    const deadline = Date.now() + seconds * 1000;
    while (Date.now() < deadline) {
        if (
            fs.existsSync(file) &&
            fs
                .readFileSync(file, "utf8")
                .split("\n")
                .some((l) => pattern.test(l))
        )
            return;
        await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`no line matching ${pattern} in ${file} within ${seconds} s`);
}

describe("smoke-e2e through faults", () => {
    let toolchain: Toolchain;
    let project: ProjectCopy;
    let hostPort: number;
    let removeAddedImages: (() => Promise<void>) | undefined;
    const cluster = uniqueName("ke2e-faults");
    const kubeconfig = () => path.join(project.dir, ".work", STACK, "kubeconfig");
    const kind = (args: string[]) =>
        execa(toolchain.bin("kind"), args, { env: { KIND_EXPERIMENTAL_PROVIDER: "podman" }, reject: false });
    const up = async () =>
        stepsOf((await project.pulumi(["up", "--yes", "--skip-preview", "--json"], { stack: STACK })).stdout);
    const pods = async () =>
        (
            await project.kubectl(toolchain, kubeconfig(), [
                "-n",
                "smoke",
                "get",
                "pods",
                "-o",
                "jsonpath={range .items[*]}{.metadata.labels.app}={.status.conditions[?(@.type=='Ready')].status} {end}",
            ])
        ).stdout
            .trim()
            .split(" ")
            .sort();
    /** The Pods once a rollout's old Pod has gone (it terminates after `up` returns). */
    const readyPods = async () => {
        const deadline = Date.now() + 90_000;
        let last = await pods();
        while (Date.now() < deadline && last.join(" ") !== "api=True worker=True") {
            await new Promise((r) => setTimeout(r, 2000));
            last = await pods();
        }
        return last;
    };
    const edit = (file: string, text: string) =>
        fs.appendFileSync(path.join(project.dir, "manifests", "smoke", file), text);

    /** Starts `up`, waits for `pattern` in its event log, interrupts it as Ctrl-C would, and returns its exit code. */
    async function interruptedUp(pattern: RegExp): Promise<number> {
        const log = path.join(project.dir, `events-${Date.now()}.jsonl`);
        const child = project.spawnPulumi(["up", "--yes", "--skip-preview", "--event-log", log], STACK, EVENT_LOG_ENV);
        await Promise.race([
            lineAppears(log, pattern),
            child.then((r) => Promise.reject(new Error(`up ended before ${pattern}: ${String(r.stderr).slice(-500)}`))),
        ]);
        child.kill("SIGINT");
        const result = await child;
        return result.exitCode ?? -1;
    }

    before(async () => {
        toolchain = await requireToolchain();
        removeAddedImages = await podmanImagesSnapshot(toolchain);
        project = await ProjectCopy.create(toolchain, { KUBERNAUT_E2E_KUBECTL: toolchain.bin("kubectl") });
        hostPort = await freePort();
        edit("api/index.html", `<!-- ${cluster} -->\n`);
        edit("worker/work.sh", `# ${cluster}\n`);
        await project.initStack(STACK, {
            clusterName: cluster,
            nodeImage: toolchain.nodeImage,
            engine: "podman",
            baseImage: BUSYBOX_BASE,
            hostPort,
            readyTimeoutSeconds: 60,
        });
        await up();
    });
    after(async () => {
        if (project) {
            await project.pulumi(["destroy", "--yes", "--skip-preview"], { stack: STACK, reject: false });
            project.remove();
        }
        if (toolchain) await deleteClusters(toolchain, [cluster]);
        await removeAddedImages?.();
    });

    it("re-creates a cluster deleted behind its back: preview shows it, up converges without rebuilding", async () => {
        assert.equal((await kind(["delete", "cluster", "--name", cluster])).exitCode, 0);
        const preview = stepsOf((await project.pulumi(["preview", "--json"], { stack: STACK })).stdout);
        assert.ok(changed(preview).includes("replace cluster-create"), changed(preview).join(", "));
        const steps = changed(await up());
        assert.ok(steps.some((op) => op.endsWith("cluster-create")));
        assert.deepEqual(
            steps.filter((op) => op.endsWith("-build")),
            [],
            "the images are still there: nothing rebuilds",
        );
        assert.ok(
            steps.some((op) => op.endsWith("api-load")),
            "but the new cluster gets them: the loads run again",
        );
        assert.deepEqual(await readyPods(), ["api=True", "worker=True"]);
        assert.match(await eventuallyFetch(`http://127.0.0.1:${hostPort}/`, /smoke api/), /smoke api/);
        assert.deepEqual(changed(await up()), [], "and the run after is a no-op");
    });

    it("converges after an up interrupted during the builds", async () => {
        edit("api/index.html", "<p>interrupted build</p>\n");
        const code = await interruptedUp(/"resourcePreEvent".*api-build/);
        assert.notEqual(code, 0, "the interrupted up does not report success");
        await up();
        assert.deepEqual(await readyPods(), ["api=True", "worker=True"]);
        assert.match(await eventuallyFetch(`http://127.0.0.1:${hostPort}/`, /interrupted build/), /interrupted build/);
        assert.deepEqual(changed(await up()), [], "and the run after is a no-op");
    });

    it("converges after an up interrupted during the deployments", async () => {
        edit("api/index.html", "<p>interrupted deploy</p>\n");
        const code = await interruptedUp(/"resourcePreEvent".*api-workload-deployment/);
        assert.notEqual(code, 0);
        await up();
        assert.deepEqual(await readyPods(), ["api=True", "worker=True"]);
        assert.match(
            await eventuallyFetch(`http://127.0.0.1:${hostPort}/`, /interrupted deploy/),
            /interrupted deploy/,
        );
        assert.deepEqual(changed(await up()), []);
    });

    it("fails an up whose container exits, naming the Deployment with its Pods' events and last log lines", async () => {
        const marker = `crash-marker-${cluster}`;
        fs.writeFileSync(path.join(project.dir, "manifests", "smoke", "worker", "work.sh"), `echo ${marker}; exit 3\n`);
        const run = await project.wrapper("up", STACK, ["--yes", "--skip-preview"]);
        const output = `${run.stdout}\n${run.stderr}`;
        assert.notEqual(run.exitCode, 0);
        assert.match(output, /diagnosis: Deployment smoke\/worker did not become ready/);
        assert.match(output, /container worker: (CrashLoopBackOff|Error)/);
        assert.match(output, /last exit 3/);
        assert.match(output, new RegExp(marker));
        // Put the worker right again for what follows.
        fs.writeFileSync(
            path.join(project.dir, "manifests", "smoke", "worker", "work.sh"),
            `while true; do echo working; sleep 30; done\n# ${cluster} fixed\n`,
        );
        await up();
        assert.deepEqual(await readyPods(), ["api=True", "worker=True"]);
        assert.deepEqual(changed(await up()), [], "and the run after is a no-op");
    });

    it("destroys with the cluster already gone", async () => {
        assert.equal((await kind(["delete", "cluster", "--name", cluster])).exitCode, 0);
        const destroy = await project.pulumi(["destroy", "--yes", "--skip-preview"], {
            stack: STACK,
            reject: false,
            env: { PULUMI_K8S_DELETE_UNREACHABLE: "true" },
        });
        assert.equal(destroy.exitCode, 0, destroy.stdout.slice(-3000));
        const state = JSON.parse((await project.pulumi(["stack", "export"], { stack: STACK })).stdout) as {
            deployment: { resources?: unknown[] };
        };
        assert.equal((state.deployment.resources ?? []).length, 0, "nothing left in the state");
    });
});
