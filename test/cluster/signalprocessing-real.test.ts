/**
 * signalprocessing-e2e from Kubernaut's real sources (the toolchain's pinned tree, unchanged): DataStorage, the
 * SignalProcessing controller and db-migrate built by Kubernaut's own Dockerfiles, FROM the toolchain's stand-ins for
 * `BUILDER_IMAGE` and `BASE_IMAGE` (db-migrate through `dockerfiles`, since its goose builder is pinned to a remote
 * image by digest). The real DataStorage answers over TLS on the migrated schema, the real controller is Ready.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as https from "node:https";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { execa } from "execa";
import { baseImageName, builderImageName, gooseImageName } from "../../toolchain/actions/kubernaut-images.js";
import { PINS } from "../../toolchain/pins.js";
import { deleteClusters, eventuallyFetch, freePort, ProjectCopy, requireToolchain, uniqueName, type Toolchain, podmanImagesSnapshot } from "./support/harness.js";
import { kubernautRoot } from "./support/kubernaut-checkout.js";

const STACK = "signalprocessing-e2e";

interface Outputs {
    kubeconfigPath: string;
    namespace: string;
    dataStorageUrl: string;
    signalProcessingMetricsUrl: string;
    caFile: string;
}

function get(url: string, options: https.RequestOptions): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
        https.get(url, options, (res) => {
            let body = "";
            res.on("data", (c: Buffer) => (body += c.toString()));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        }).on("error", reject);
    });
}

/** The stand-in images this scenario builds FROM; a one-line reason when the toolchain lacks one. */
async function requireStandIns(toolchain: Toolchain): Promise<void> {
    const wanted = [builderImageName(), baseImageName(), gooseImageName({ pins: PINS })];
    const missing: string[] = [];
    for (const image of wanted) {
        if ((await execa(toolchain.podman, ["image", "exists", image], { reject: false })).exitCode !== 0) missing.push(image);
    }
    if (missing.length) throw new Error(`the real-sources scenario needs the toolchain's stand-in images (missing: ${missing.join(", ")}); run \`npm run toolchain -- build\``);
}

describe("signalprocessing-e2e from Kubernaut's real sources", () => {
    let toolchain: Toolchain;
    let project: ProjectCopy;
    let outputs: Outputs;
    let checkout: string;
    let removeAddedImages: (() => Promise<void>) | undefined;
    const cluster = uniqueName("ke2e-sp-real");

    before(async () => {
        toolchain = await requireToolchain();
        await requireStandIns(toolchain);
        checkout = kubernautRoot();
        removeAddedImages = await podmanImagesSnapshot(toolchain);
        project = await ProjectCopy.create(toolchain);
        const [signalProcessingMetrics, dataStorage, dataStorageHealth, postgres] = [await freePort(), await freePort(), await freePort(), await freePort()];
        await project.initStack(STACK, {
            kubernautRoot: checkout, clusterName: cluster, nodeImage: toolchain.nodeImage, engine: "podman",
            builderImage: builderImageName(), baseImage: baseImageName(),
            // As the README gives it: relative to the project.
            dockerfiles: { "db-migrate": "toolchain/ubi/db-migrate.Dockerfile" },
            postgresImage: "localhost/kubernaut-e2e/postgres:15", redisImage: "localhost/kubernaut-e2e/redis:7",
            hostPorts: { signalProcessingMetrics, dataStorage, dataStorageHealth, postgres },
        });
    });
    after(async () => {
        if (project) {
            await project.pulumi(["destroy", "--yes", "--skip-preview"], { stack: STACK, reject: false });
            project.remove();
        }
        if (toolchain) await deleteClusters(toolchain, [cluster]);
        await removeAddedImages?.();
    });

    it("builds the three images with Kubernaut's Dockerfiles on the stand-ins and comes up", async () => {
        const up = await project.pulumi(["up", "--yes", "--skip-preview"], { stack: STACK, reject: false });
        assert.equal(up.exitCode, 0, up.stdout.slice(-8000));
        outputs = JSON.parse((await project.pulumi(["stack", "output", "--json", "--show-secrets"], { stack: STACK })).stdout) as Outputs;
    });

    it("runs the real DataStorage: ready over TLS, verified with the stack's CA file", async () => {
        const res = await get(`${outputs.dataStorageUrl}/readyz`, { ca: fs.readFileSync(outputs.caFile) });
        assert.equal(res.status, 200, res.body);
        const image = await project.kubectl(toolchain, outputs.kubeconfigPath, ["-n", outputs.namespace, "get", "deploy/datastorage", "-o", "jsonpath={.spec.template.spec.containers[0].image}"]);
        const entrypoint = await execa(toolchain.podman, ["image", "inspect", "--format", "{{json .Config.Entrypoint}}", image.stdout], { reject: false });
        assert.equal(String(entrypoint.stdout).trim(), JSON.stringify(["/usr/local/bin/data-storage"]), "the image is Kubernaut's development stage");
    });

    it("ran every one of Kubernaut's migrations, with the toolchain's goose", async () => {
        const migrations = fs.readdirSync(path.join(checkout, "migrations")).filter((f) => f.endsWith(".sql")).length;
        const versions = await project.kubectl(toolchain, outputs.kubeconfigPath, ["-n", outputs.namespace, "exec", "deploy/postgresql", "--",
            "psql", "-U", "slm_user", "-d", "action_history", "-tAc", "SELECT count(*) FROM goose_db_version WHERE version_id > 0 AND is_applied"]);
        assert.equal(versions.exitCode, 0, versions.stderr);
        assert.equal(Number(versions.stdout.trim()), migrations);
    });

    it("runs the real SignalProcessing controller, Ready, serving controller-runtime's metrics", async () => {
        const ready = await project.kubectl(toolchain, outputs.kubeconfigPath, ["-n", outputs.namespace, "get", "deploy/signalprocessing-controller", "-o", "jsonpath={.status.readyReplicas}"]);
        assert.equal(ready.stdout, "1", ready.stderr);
        assert.match(await eventuallyFetch(outputs.signalProcessingMetricsUrl, /controller_runtime_/), /controller_runtime_reconcile_total\{controller="signalprocessing/);
    });

    it("seeds the 11 ActionTypes the real controller's cluster holds, with their status", async () => {
        const listed = await project.kubectl(toolchain, outputs.kubeconfigPath, ["-n", outputs.namespace, "get", "actiontypes.kubernaut.ai", "-o", "json"]);
        assert.equal(listed.exitCode, 0, listed.stderr);
        const items = (JSON.parse(listed.stdout) as { items: Array<{ status?: { registered?: boolean } }> }).items;
        assert.equal(items.length, 11);
        assert.ok(items.every((i) => i.status?.registered === true));
    });
});
