/**
 * Two stacks on one host at once: smoke-e2e and a second stack of the same program, brought up concurrently, share
 * no cluster, kubeconfig, archive directory or host port, and both answer.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import {
    BUSYBOX_BASE,
    deleteClusters,
    eventuallyFetch,
    freePort,
    podmanImagesSnapshot,
    ProjectCopy,
    requireToolchain,
    uniqueName,
    type Toolchain,
} from "./support/harness.js";

const STACKS = ["smoke-e2e", "smoke-e2e-second"] as const;

describe("two stacks at once", () => {
    let toolchain: Toolchain;
    let project: ProjectCopy;
    let removeAddedImages: (() => Promise<void>) | undefined;
    const clusters = STACKS.map((s) => uniqueName(`ke2e-${s.endsWith("second") ? "two" : "one"}`));
    const ports: number[] = [];

    before(async () => {
        toolchain = await requireToolchain();
        removeAddedImages = await podmanImagesSnapshot(toolchain);
        project = await ProjectCopy.create(toolchain);
        fs.appendFileSync(
            path.join(project.dir, "manifests", "smoke", "api", "index.html"),
            `<!-- ${clusters.join(" ")} -->\n`,
        );
        for (const [i, stack] of STACKS.entries()) {
            ports.push(await freePort());
            await project.initStack(stack, {
                environment: "smoke-e2e",
                clusterName: clusters[i],
                nodeImage: toolchain.nodeImage,
                engine: "podman",
                baseImage: BUSYBOX_BASE,
                hostPort: ports[i],
            });
        }
    });
    after(async () => {
        if (project) {
            for (const stack of STACKS)
                await project.pulumi(["destroy", "--yes", "--skip-preview"], { stack, reject: false });
            project.remove();
        }
        if (toolchain) await deleteClusters(toolchain, clusters);
        await removeAddedImages?.();
    });

    it("brings both up concurrently; each answers on its own port from its own cluster", async () => {
        const runs = await Promise.all(
            STACKS.map((stack) => project.pulumi(["up", "--yes", "--skip-preview"], { stack, reject: false })),
        );
        for (const [i, run] of runs.entries())
            assert.equal(run.exitCode, 0, `${STACKS[i]}: ${run.stdout.slice(-3000)}`);
        for (const port of ports)
            assert.match(await eventuallyFetch(`http://127.0.0.1:${port}/`, /smoke api/), /smoke api/);
        const outputs = await Promise.all(
            STACKS.map(
                async (stack) =>
                    JSON.parse((await project.pulumi(["stack", "output", "--json"], { stack })).stdout) as {
                        clusterName: string;
                        kubeconfigPath: string;
                    },
            ),
        );
        assert.deepEqual(
            outputs.map((o) => o.clusterName),
            clusters,
        );
        assert.notEqual(outputs[0].kubeconfigPath, outputs[1].kubeconfigPath);
        for (const [i, stack] of STACKS.entries())
            assert.equal(path.dirname(outputs[i].kubeconfigPath), path.join(project.dir, ".work", stack));
    });
});
