/**
 * smoke-e2e's whole life on a real kind cluster (issue: run it for real, scenario 1): up from nothing; a no-op up;
 * one kept file changed, and only that image's build, load and Deployment change; destroy; and up again with the
 * images still cached.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { execa } from "execa";
import {
    BUSYBOX_BASE,
    changed,
    eventuallyFetch,
    deleteClusters,
    exported,
    freePort,
    ProjectCopy,
    requireToolchain,
    stepsOf,
    uniqueName,
    type Toolchain,
    podmanImagesSnapshot,
} from "./support/harness.js";

const STACK = "smoke-e2e";

describe("smoke-e2e on a real cluster", () => {
    let toolchain: Toolchain;
    let project: ProjectCopy;
    let hostPort: number;
    const cluster = uniqueName("ke2e-smoke");
    const kubeconfig = () => path.join(project.dir, ".work", STACK, "kubeconfig");
    const up = async () =>
        stepsOf((await project.pulumi(["up", "--yes", "--skip-preview", "--json"], { stack: STACK })).stdout);

    let removeAddedImages: (() => Promise<void>) | undefined;

    before(async () => {
        toolchain = await requireToolchain();
        removeAddedImages = await podmanImagesSnapshot(toolchain);
        project = await ProjectCopy.create(toolchain);
        hostPort = await freePort();
        // A unique marker in the api's page gives this run images of its own, so it never finds another run's.
        fs.appendFileSync(path.join(project.dir, "manifests", "smoke", "api", "index.html"), `<!-- ${cluster} -->\n`);
        fs.appendFileSync(path.join(project.dir, "manifests", "smoke", "worker", "work.sh"), `# ${cluster}\n`);
        await project.initStack(STACK, {
            clusterName: cluster,
            nodeImage: toolchain.nodeImage,
            engine: "podman",
            baseImage: BUSYBOX_BASE,
            hostPort,
        });
    });
    after(async () => {
        if (project) {
            await project.pulumi(["destroy", "--yes", "--skip-preview"], { stack: STACK, reject: false });
            project.remove();
        }
        if (toolchain) await deleteClusters(toolchain, [cluster]);
        // The stack keeps its images after destroy (a re-up builds nothing); the test's are its own to remove.
        await removeAddedImages?.();
    });

    it("comes up from nothing: every Pod Ready, the api answering on its host port", async () => {
        const steps = await up();
        assert.ok(changed(steps).includes("create cluster-create"));
        const pods = await project.kubectl(toolchain, kubeconfig(), [
            "-n",
            "smoke",
            "get",
            "pods",
            "-o",
            "jsonpath={range .items[*]}{.metadata.labels.app}={.status.conditions[?(@.type=='Ready')].status} {end}",
        ]);
        assert.deepEqual(pods.stdout.trim().split(" ").sort(), ["api=True", "worker=True"]);
        assert.match(await eventuallyFetch(`http://127.0.0.1:${hostPort}/`, /kubernaut-e2e smoke api/), /smoke api/);
        const outputs = JSON.parse((await project.pulumi(["stack", "output", "--json"], { stack: STACK })).stdout) as {
            apiUrl: string;
            clusterName: string;
            kubeconfigPath: string;
            images: string[];
        };
        assert.equal(outputs.apiUrl, `http://127.0.0.1:${hostPort}/`);
        assert.equal(outputs.clusterName, cluster);
        assert.equal(outputs.kubeconfigPath, kubeconfig());
        assert.equal(outputs.images.length, 2);
    });

    it("does nothing on a second up: no build, load or rollout", async () => {
        const started = performance.now();
        const steps = await up();
        const seconds = (performance.now() - started) / 1000;
        assert.deepEqual(changed(steps), []);
        process.stderr.write(`smoke-e2e: no-op up took ${seconds.toFixed(1)} s\n`);
    });

    it("previews a changed cluster setting as one update of the cluster step, replacing nothing", async () => {
        await project.pulumi(["config", "set", "kubernaut-e2e:clusterWaitSeconds", "90"], { stack: STACK });
        const planned = changed(stepsOf((await project.pulumi(["preview", "--json"], { stack: STACK })).stdout));
        assert.deepEqual(
            planned,
            ["update cluster-create"],
            "the kubeconfig stays known, so no object shows as replaced",
        );
        await project.pulumi(["config", "set", "kubernaut-e2e:clusterWaitSeconds", "60"], { stack: STACK });
    });

    it("rebuilds an image pruned from the engine's store, and its load", async () => {
        const state = (await project.pulumi(["stack", "export"], { stack: STACK })).stdout;
        const ref = String((exported(state, "worker-build")?.outputs?.result as { imageRef: string }).imageRef);
        await execa(toolchain.podman, ["rmi", "--force", ref]);
        const planned = changed(stepsOf((await project.pulumi(["preview", "--json"], { stack: STACK })).stdout));
        assert.ok(planned.includes("replace worker-build"), planned.join(", "));
        await up();
        assert.equal(
            (await execa(toolchain.podman, ["image", "exists", ref], { reject: false })).exitCode,
            0,
            "built again under the same tag",
        );
    });

    it("previews and then runs exactly the changed image's build, load and Deployment when one of its files changes", async () => {
        fs.appendFileSync(path.join(project.dir, "manifests", "smoke", "api", "index.html"), "<p>changed</p>\n");
        const preview = await project.pulumi(["preview", "--json", "--diff"], { stack: STACK });
        const expected = ["replace api-build", "replace api-load", "update api-workload-deployment"];
        const planned = changed(stepsOf(preview.stdout)).filter(
            (op) => !op.startsWith("create-replacement") && !op.startsWith("delete-replaced"),
        );
        assert.deepEqual(planned, expected);
        const applied = changed(await up()).filter(
            (op) => !op.startsWith("create-replacement") && !op.startsWith("delete-replaced"),
        );
        assert.deepEqual(applied, expected);
        assert.match(await eventuallyFetch(`http://127.0.0.1:${hostPort}/`, /changed/), /changed/);
    });

    it("destroys the cluster, its kubeconfig and archives, and keeps the images", async () => {
        const state = (await project.pulumi(["stack", "export"], { stack: STACK })).stdout;
        const ref = String((exported(state, "api-build")?.outputs?.result as { imageRef: string }).imageRef);
        await project.pulumi(["destroy", "--yes", "--skip-preview"], { stack: STACK });
        const outputs = await project.pulumi(["stack", "output", "--json"], { stack: STACK });
        assert.deepEqual(JSON.parse(outputs.stdout), {}, "a destroyed stack has no outputs left to hand a suite");
        assert.equal(fs.existsSync(kubeconfig()), false, "kubeconfig removed");
        assert.equal(fs.existsSync(path.join(project.dir, ".work", STACK, "archives")), false, "no archives left");
        const kind = await import("execa").then(({ execa }) =>
            execa(toolchain.bin("kind"), ["get", "clusters"], { env: { KIND_EXPERIMENTAL_PROVIDER: "podman" } }),
        );
        assert.ok(!String(kind.stdout).split("\n").includes(cluster), "the kind cluster is gone");
        const image = await import("execa").then(({ execa }) =>
            execa(toolchain.podman, ["image", "exists", ref], { reject: false }),
        );
        assert.equal(image.exitCode, 0, `image ${ref} is kept as a cache`);
    });

    it("builds nothing when it comes up again from unchanged sources", async () => {
        await up();
        const state = (await project.pulumi(["stack", "export"], { stack: STACK })).stdout;
        for (const build of ["api-build", "worker-build"]) {
            assert.equal(
                (exported(state, build)?.outputs?.result as { built: boolean }).built,
                false,
                `${build} found its image`,
            );
        }
    });
});
