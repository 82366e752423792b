/**
 * `npm run bench:scale -- [--stacks 50] [--report 1,10,50] [--parallel 16] [--json]`: many lane stacks on one
 * existing cluster. A simulated cluster (kwok, from the offline toolchain's binaries: Pods become Ready without
 * running) stands in for a shared one; images go through a local registry. Stacks `signalprocessing-e2e-<n>` come up
 * one after another — for each, the mocked plan, `pulumi preview` and `pulumi up` are timed with n−1 stacks already
 * on the cluster — and are then destroyed in random order, checking after each destroy that every other stack's
 * controller is still Ready and that Kubernaut's CRDs stay while any stack remains and go with the last.
 *
 * Needs the offline toolchain (or kind's and Kubernetes' binaries), Podman, Debian's docker-registry and a Kubernaut
 * checkout (`KUBERNAUT_ROOT`). Prints a table of medians around each reported count; `--json` prints every stack.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execa } from "execa";
import { z } from "zod";
import { command, isMain, main, type StepIO } from "../lib/command-line.js";
import { toolchainLayout } from "../lib/toolchain/layout.js";
import { BUSYBOX_BASE, podmanImagesSnapshot, ProjectCopy, requireToolchain } from "../test/cluster/support/harness.js";
import { runnableKubernautCheckout } from "../test/cluster/support/kubernaut-checkout.js";
import { startKwokCluster } from "../test/support/kwok-cluster.js";
import { startRegistry } from "../test/support/registry.js";

export interface StackTiming {
    readonly index: number;
    readonly stack: string;
    readonly planSeconds: number;
    readonly previewSeconds: number;
    readonly upSeconds: number;
    readonly destroySeconds?: number;
}

export function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Medians of the stacks around each reported count (the count itself and up to two before it). */
export function scaleTable(timings: readonly StackTiming[], report: readonly number[]): string {
    const rows = report
        .filter((n) => n <= timings.length)
        .map((n) => {
            const window = timings.filter((t) => t.index > n - 3 && t.index <= n);
            const col = (get: (t: StackTiming) => number | undefined) => {
                const values = window.map(get).filter((v): v is number => v !== undefined);
                return values.length ? median(values).toFixed(1).padStart(8) : "       –";
            };
            return `${String(n).padStart(6)}  ${col((t) => t.planSeconds)}  ${col((t) => t.previewSeconds)}  ${col((t) => t.upSeconds)}  ${col((t) => t.destroySeconds)}`;
        });
    return [
        "stacks      plan   preview        up   destroy   (seconds, median of the stack at the count and the two before it)",
        ...rows,
    ].join("\n");
}

const seconds = (started: number) => (performance.now() - started) / 1000;

export const run = command("bench:scale", {
    description:
        "many signalprocessing-e2e stacks on one simulated shared cluster: plan, preview, up and destroy times",
    flags: {
        stacks: { type: "string", value: "N", description: "stacks to bring up (default 50)" },
        report: { type: "string", value: "LIST", description: "counts to report, comma-separated (default 1,10,50)" },
        parallel: { type: "string", value: "P", description: "the engine's --parallel (default 16)" },
        json: { type: "boolean", description: "print every stack's timings as JSON" },
    },
    schema: z.object({
        stacks: z.coerce.number().int().min(1).max(200).default(50),
        report: z
            .string()
            .regex(/^\d+(,\d+)*$/, "must be counts such as 1,10,50")
            .default("1,10,50"),
        parallel: z.coerce.number().int().min(1).max(256).default(16),
        json: z.boolean().optional(),
    }),
    async run(values, io: StepIO) {
        const toolchain = await requireToolchain();
        const removeAddedImages = await podmanImagesSnapshot(toolchain);
        const build = path.join(toolchainLayout().setDir, "build");
        const work = fs.mkdtempSync(path.join(os.tmpdir(), "ke2e-scale-"));
        const registry = await startRegistry();
        const cluster = await startKwokCluster(
            {
                kubernetes: path.join(build, "kubernetes"),
                etcd: path.join(build, "etcd"),
                kwok: path.join(build, "kwok"),
            },
            path.join(work, "kwok"),
            values.stacks + 5,
        );
        const checkout = await runnableKubernautCheckout();
        const project = await ProjectCopy.create(toolchain, { KUBERNAUT_E2E_WORK_ROOT: path.join(work, "stacks") });
        const kubectl = (args: string[]) =>
            execa(toolchain.bin("kubectl"), ["--kubeconfig", cluster.kubeconfig, ...args], { reject: false });
        const stacks = Array.from({ length: values.stacks }, (_, i) => `signalprocessing-e2e-${i + 1}`);
        const timings: StackTiming[] = [];
        const problems: string[] = [];
        try {
            for (const [i, stack] of stacks.entries()) {
                await project.initStack(stack, {
                    environment: "signalprocessing-e2e",
                    kubernautRoot: checkout,
                    engine: "podman",
                    baseImage: BUSYBOX_BASE,
                    postgresImage: "localhost/kubernaut-e2e/postgres:15",
                    redisImage: "localhost/kubernaut-e2e/redis:7",
                    registry: `${registry.host}/ke2e`,
                    cluster: { kubeconfigFile: cluster.kubeconfig, context: cluster.context },
                });
                let started = performance.now();
                const plan = await execa("node", [path.join(project.dir, "bin", "cli", "plan.js"), stack], {
                    cwd: project.dir,
                    env: project.env,
                    reject: false,
                });
                const planSeconds = seconds(started);
                if (plan.exitCode !== 0) problems.push(`${stack}: plan failed: ${String(plan.stderr).slice(-500)}`);
                const preview = await project.pulumi(["preview", `--parallel=${values.parallel}`], {
                    stack,
                    reject: false,
                });
                if (preview.exitCode !== 0) problems.push(`${stack}: preview failed: ${preview.stdout.slice(-1500)}`);
                started = performance.now();
                const up = await project.pulumi(["up", "--yes", "--skip-preview", `--parallel=${values.parallel}`], {
                    stack,
                    reject: false,
                });
                const upSeconds = seconds(started);
                if (up.exitCode !== 0) {
                    problems.push(`${stack}: up failed: ${up.stdout.slice(-3000)}`);
                    break;
                }
                timings.push({ index: i + 1, stack, planSeconds, previewSeconds: preview.seconds, upSeconds });
                io.log(
                    `bench:scale: ${stack} up (plan ${planSeconds.toFixed(1)} s, preview ${preview.seconds.toFixed(1)} s, up ${upSeconds.toFixed(1)} s)`,
                );
            }
            const crds = async () =>
                String((await kubectl(["get", "crd", "-o", "name"])).stdout)
                    .split("\n")
                    .filter((n) => n.endsWith(".kubernaut.ai")).length;
            const crdCount = await crds();
            const remaining = timings.map((t) => t.stack);
            // Destroy in random order; after each, every other stack is untouched and the CRDs stay until the last.
            const order = [...remaining].sort(() => Math.random() - 0.5);
            for (const stack of order) {
                const started = performance.now();
                const destroyed = await project.pulumi(
                    ["destroy", "--yes", "--skip-preview", `--parallel=${values.parallel}`],
                    { stack, reject: false },
                );
                const index = timings.findIndex((t) => t.stack === stack);
                timings[index] = { ...timings[index], destroySeconds: seconds(started) };
                if (destroyed.exitCode !== 0)
                    problems.push(`${stack}: destroy failed: ${destroyed.stdout.slice(-2000)}`);
                remaining.splice(remaining.indexOf(stack), 1);
                const left = await crds();
                if (remaining.length && left !== crdCount)
                    problems.push(
                        `after destroying ${stack}, ${left} of ${crdCount} CRDs are left while ${remaining.length} stacks remain`,
                    );
                if (!remaining.length && left !== 0) problems.push(`${left} CRDs are left after the last stack went`);
                const sample = remaining.slice(0, 5);
                for (const other of sample) {
                    const ready = await kubectl([
                        "-n",
                        other,
                        "get",
                        "deploy/signalprocessing-controller",
                        "-o",
                        "jsonpath={.status.readyReplicas}",
                    ]);
                    if (String(ready.stdout) !== "1")
                        problems.push(
                            `after destroying ${stack}, ${other}'s controller is not Ready (${String(ready.stderr).trim()})`,
                        );
                }
                io.log(
                    `bench:scale: destroyed ${stack} in ${timings[index].destroySeconds!.toFixed(1)} s; ${remaining.length} remain`,
                );
            }
        } finally {
            await cluster.stop();
            await registry.stop();
            project.remove();
            fs.rmSync(checkout, { recursive: true, force: true });
            fs.rmSync(work, { recursive: true, force: true });
            await removeAddedImages();
        }
        const report = values.report.split(",").map(Number);
        io.out(
            values.json
                ? JSON.stringify({ parallel: values.parallel, cpus: os.cpus().length, timings, problems })
                : scaleTable(timings, report),
        );
        for (const problem of problems) io.log(`bench:scale: problem: ${problem}`);
        return problems.length ? 1 : 0;
    },
});

if (isMain(import.meta.url)) await main("bench:scale", run);
