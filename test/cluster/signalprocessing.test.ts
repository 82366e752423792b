/**
 * signalprocessing-e2e on a real cluster, on a runnable Kubernaut-shaped checkout (Kubernaut's own CRDs and
 * migrations, stand-in services): the lane comes up, and a test process then does what the Ginkgo suite does, from
 * the stack's outputs alone — DataStorage over TLS with `caFile`, the API server with `suiteToken` (its DataStorage
 * client permission), the seeded ActionTypes with their status, the metrics URL — and finds the migrated schema.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as https from "node:https";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { execa } from "execa";
import { parse } from "yaml";
import { BUSYBOX_BASE, deleteClusters, eventuallyFetch, freePort, ProjectCopy, requireToolchain, uniqueName, type Toolchain, podmanImagesSnapshot } from "./support/harness.js";
import { runnableKubernautCheckout } from "./support/kubernaut-checkout.js";

const STACK = "signalprocessing-e2e";

interface Outputs {
    kubeconfigPath: string;
    namespace: string;
    dataStorageUrl: string;
    signalProcessingMetricsUrl: string;
    caFile: string;
    suiteToken: string;
    suiteServiceAccount: string;
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

function post(url: string, body: unknown, options: https.RequestOptions): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
        const req = https.request(url, { ...options, method: "POST", headers: { ...options.headers, "Content-Type": "application/json" } }, (res) => {
            let text = "";
            res.on("data", (c: Buffer) => (text += c.toString()));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on("error", reject);
        req.end(JSON.stringify(body));
    });
}

describe("signalprocessing-e2e on a real cluster", () => {
    let toolchain: Toolchain;
    let project: ProjectCopy;
    let checkout: string;
    let outputs: Outputs;
    const cluster = uniqueName("ke2e-sp");

    let removeAddedImages: (() => Promise<void>) | undefined;

    before(async () => {
        toolchain = await requireToolchain();
        removeAddedImages = await podmanImagesSnapshot(toolchain);
        checkout = await runnableKubernautCheckout();
        project = await ProjectCopy.create(toolchain);
        const [signalProcessingMetrics, dataStorage, dataStorageHealth, postgres] = [await freePort(), await freePort(), await freePort(), await freePort()];
        await project.initStack(STACK, {
            kubernautRoot: checkout, clusterName: cluster, nodeImage: toolchain.nodeImage, engine: "podman", baseImage: BUSYBOX_BASE,
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
        // The stack keeps its images after destroy (a re-up builds nothing); the test's are its own to remove.
        await removeAddedImages?.();
        if (checkout) fs.rmSync(checkout, { recursive: true, force: true });
    });

    it("comes up: CRDs, PostgreSQL, Redis, migrations, DataStorage, the controller, ActionTypes and suite access", async () => {
        const up = await project.pulumi(["up", "--yes", "--skip-preview"], { stack: STACK, reject: false });
        assert.equal(up.exitCode, 0, up.stdout.slice(-6000));
        outputs = JSON.parse((await project.pulumi(["stack", "output", "--json", "--show-secrets"], { stack: STACK })).stdout) as Outputs;
        assert.ok(fs.existsSync(outputs.caFile), "the CA file is written for test processes");
    });

    it("serves DataStorage over TLS, verified with the stack's CA file", async () => {
        const ca = fs.readFileSync(outputs.caFile);
        const res = await get(`${outputs.dataStorageUrl}/api/v1/health`, { ca });
        assert.equal(res.status, 200);
        assert.match(res.body, /datastorage-stand-in/);
    });

    it("authenticates the suite's token at the API server, with the DataStorage client permission it needs", async () => {
        const kubeconfig = parse(fs.readFileSync(outputs.kubeconfigPath, "utf8")) as { clusters: Array<{ cluster: { server: string; "certificate-authority-data": string } }> };
        const { server, "certificate-authority-data": caData } = kubeconfig.clusters[0].cluster;
        const asSuite = (apiPath: string, body: unknown) => post(`${server}${apiPath}`, body, { ca: Buffer.from(caData, "base64"), headers: { Authorization: `Bearer ${outputs.suiteToken}` } });
        const review = await asSuite("/apis/authentication.k8s.io/v1/selfsubjectreviews", { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" });
        assert.equal(review.status, 201, review.body);
        assert.equal((JSON.parse(review.body) as { status: { userInfo: { username: string } } }).status.userInfo.username, `system:serviceaccount:${outputs.namespace}:${outputs.suiteServiceAccount}`);
        const access = await asSuite("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {
            apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview",
            spec: { resourceAttributes: { namespace: outputs.namespace, verb: "create", resource: "services", name: "data-storage-service" } },
        });
        assert.equal((JSON.parse(access.body) as { status: { allowed: boolean } }).status.allowed, true, access.body);
    });

    it("seeds the 11 ActionTypes, accepted by Kubernaut's CRD schema, with their status written through the status subresource", async () => {
        const listed = await project.kubectl(toolchain, outputs.kubeconfigPath, ["-n", outputs.namespace, "get", "actiontypes.kubernaut.ai", "-o", "json"]);
        assert.equal(listed.exitCode, 0, listed.stderr);
        const items = (JSON.parse(listed.stdout) as { items: Array<{ metadata: { name: string }; status?: { registered?: boolean; catalogStatus?: string } }> }).items;
        assert.equal(items.length, 11);
        assert.ok(items.every((i) => i.status?.registered === true && i.status.catalogStatus === "Active"), JSON.stringify(items.map((i) => [i.metadata.name, i.status])));
    });

    it("answers on the controller's metrics URL", async () => {
        assert.match(await eventuallyFetch(outputs.signalProcessingMetricsUrl, /signalprocessing_up/), /coverage="\/coverdata"/);
    });

    it("ran every migration against PostgreSQL", async () => {
        const migrations = fs.readdirSync(path.join(checkout, "migrations")).filter((f) => f.endsWith(".sql")).length;
        const versions = await project.kubectl(toolchain, outputs.kubeconfigPath, ["-n", outputs.namespace, "exec", "deploy/postgresql", "--",
            "psql", "-U", "slm_user", "-d", "action_history", "-tAc", "SELECT count(*) FROM goose_db_version WHERE version_id > 0"]);
        assert.equal(versions.exitCode, 0, versions.stderr);
        assert.equal(Number(versions.stdout.trim()), migrations);
    });

    it("reports the controller's E2E coverage with `npm run coverage`, and leaves the controller running", async () => {
        const report = await execa("node", [path.join(project.dir, "bin", "cli", "coverage.js"), STACK, "--json"], {
            cwd: project.dir, env: { ...project.env, KUBERNAUT_E2E_KUBECTL: toolchain.bin("kubectl") }, reject: false, extendEnv: true,
        });
        assert.equal(report.exitCode, 0, `${String(report.stdout)}\n${String(report.stderr)}`);
        const { services, packages } = JSON.parse(String(report.stdout)) as { services: string[]; packages: { pkg: string; percent: number }[] };
        assert.ok(services.includes("signalprocessing-controller"), services.join(", "));
        const controller = packages.find((p) => p.pkg.endsWith("/cmd/signalprocessing"));
        assert.ok(controller && controller.percent > 0, JSON.stringify(packages));
        const ready = await project.kubectl(toolchain, outputs.kubeconfigPath, ["-n", outputs.namespace, "get", "deploy/signalprocessing-controller", "-o", "jsonpath={.status.readyReplicas}"]);
        assert.equal(ready.stdout, "1", ready.stderr);
    });
});
