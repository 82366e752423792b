/**
 * Beyond one machine, for real: images delivered through Debian's registry to a kind cluster the stack creates
 * (smoke-e2e), and two signalprocessing-e2e stacks on one kind cluster created outside any stack, used as an
 * existing shared cluster — each in its own namespace, Kubernaut's CRDs kept until the last of them goes, the cluster
 * itself untouched by both destroys.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { execa } from "execa";
import { stringify } from "yaml";
import { registryTags, startRegistry, type RunningRegistry } from "../support/registry.js";
import {
    BUSYBOX_BASE,
    deleteClusters,
    eventuallyFetch,
    freePort,
    ProjectCopy,
    podmanImagesSnapshot,
    requireToolchain,
    uniqueName,
    type Toolchain,
} from "./support/harness.js";
import { runnableKubernautCheckout } from "./support/kubernaut-checkout.js";

describe("beyond one machine", () => {
    let toolchain: Toolchain;
    let registry: RunningRegistry;
    let removeAddedImages: (() => Promise<void>) | undefined;
    const clusters: string[] = [];

    before(async () => {
        toolchain = await requireToolchain();
        removeAddedImages = await podmanImagesSnapshot(toolchain);
        // The kind node reaches the host at host.containers.internal, not on the host's loopback.
        registry = await startRegistry("0.0.0.0");
    });
    after(async () => {
        if (toolchain) await deleteClusters(toolchain, clusters);
        await registry?.stop();
        await removeAddedImages?.();
    });

    describe("smoke-e2e through a registry", () => {
        let project: ProjectCopy;
        const cluster = uniqueName("ke2e-reg");
        let hostPort: number;
        before(async () => {
            clusters.push(cluster);
            project = await ProjectCopy.create(toolchain);
            hostPort = await freePort();
            await project.initStack("smoke-e2e", {
                clusterName: cluster,
                nodeImage: toolchain.nodeImage,
                engine: "podman",
                baseImage: BUSYBOX_BASE,
                hostPort,
                registry: `${registry.host}/ke2e`,
            });
        });
        after(async () => {
            if (project) {
                await project.pulumi(["destroy", "--yes", "--skip-preview"], { stack: "smoke-e2e", reject: false });
                project.remove();
            }
        });

        it("pushes each image once, loads none, and the node pulls them: the api answers", async () => {
            const up = await project.pulumi(["up", "--yes", "--skip-preview"], { stack: "smoke-e2e", reject: false });
            assert.equal(up.exitCode, 0, up.stdout.slice(-5000));
            assert.doesNotMatch(up.stdout, /ImageLoad/);
            const outputs = JSON.parse(
                (await project.pulumi(["stack", "output", "--json"], { stack: "smoke-e2e" })).stdout,
            ) as { apiUrl: string; images: string[] };
            for (const ref of outputs.images) {
                const [name, tag] = ref.slice(registry.host.length + 1).split(":");
                assert.deepEqual(await registryTags(registry.host, name), [tag], ref);
            }
            assert.ok((await eventuallyFetch(outputs.apiUrl, /./)).length > 0);
        });
    });

    describe("two signalprocessing-e2e stacks on one existing cluster", () => {
        let project: ProjectCopy;
        let checkout: string;
        let kubeconfig: string;
        const cluster = uniqueName("ke2e-shared");
        const stacks = ["sp-shared-a", "sp-shared-b"];
        const kubectl = (args: string[]) => project.kubectl(toolchain, kubeconfig, args);

        before(async () => {
            clusters.push(cluster);
            checkout = await runnableKubernautCheckout();
            project = await ProjectCopy.create(toolchain);
            // The cluster exists before, and apart from, both stacks: kind itself creates it, able to pull from the
            // registry.
            const dir = fs.mkdtempSync(path.join(project.dir, "existing-"));
            const certs = path.join(dir, "certs.d", registry.host);
            fs.mkdirSync(certs, { recursive: true });
            fs.writeFileSync(
                path.join(certs, "hosts.toml"),
                `server = "http://${registry.host}"\n\n[host."http://host.containers.internal:${registry.host.split(":")[1]}"]\n  capabilities = ["pull", "resolve"]\n`,
            );
            fs.writeFileSync(
                path.join(dir, "kind.yaml"),
                stringify({
                    kind: "Cluster",
                    apiVersion: "kind.x-k8s.io/v1alpha4",
                    nodes: [
                        {
                            role: "control-plane",
                            image: toolchain.nodeImage,
                            extraMounts: [
                                {
                                    hostPath: path.join(dir, "certs.d"),
                                    containerPath: "/etc/containerd/certs.d",
                                    readOnly: true,
                                },
                            ],
                        },
                    ],
                    containerdConfigPatches: [
                        '[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
                    ],
                }),
            );
            kubeconfig = path.join(dir, "kubeconfig");
            const created = await execa(
                toolchain.bin("kind"),
                [
                    "create",
                    "cluster",
                    "--name",
                    cluster,
                    "--config",
                    path.join(dir, "kind.yaml"),
                    "--kubeconfig",
                    kubeconfig,
                    "--wait",
                    "60s",
                ],
                { env: { ...toolchain.env, KIND_EXPERIMENTAL_PROVIDER: "podman" }, reject: false, all: true },
            );
            assert.equal(created.exitCode, 0, String(created.all));
            for (const stack of stacks) {
                await project.initStack(stack, {
                    environment: "signalprocessing-e2e",
                    kubernautRoot: checkout,
                    engine: "podman",
                    baseImage: BUSYBOX_BASE,
                    postgresImage: "localhost/kubernaut-e2e/postgres:15",
                    redisImage: "localhost/kubernaut-e2e/redis:7",
                    // Two lanes' CPU requests do not fit one node of this 2-core machine beside its control plane.
                    registry: `${registry.host}/ke2e`,
                    cluster: { kubeconfigFile: kubeconfig, context: `kind-${cluster}`, cpuRequests: false },
                });
            }
        });
        after(async () => {
            if (project) {
                for (const stack of stacks)
                    await project.pulumi(["destroy", "--yes", "--skip-preview"], { stack, reject: false });
                project.remove();
            }
            if (checkout) fs.rmSync(checkout, { recursive: true, force: true });
        });

        it("brings both up, each in its own namespace with its own cluster-scoped names, its images pulled from the registry", async () => {
            for (const stack of stacks) {
                const up = await project.pulumi(["up", "--yes", "--skip-preview"], { stack, reject: false });
                assert.equal(up.exitCode, 0, `${stack}:\n${up.stdout.slice(-5000)}`);
            }
            for (const stack of stacks) {
                const ready = await kubectl([
                    "-n",
                    stack,
                    "get",
                    "deploy/signalprocessing-controller",
                    "-o",
                    "jsonpath={.status.readyReplicas} {.spec.template.spec.containers[0].image}",
                ]);
                assert.equal(ready.exitCode, 0, ready.stderr);
                assert.match(
                    ready.stdout,
                    new RegExp(`^1 ${registry.host.replace(/\./g, "\\.")}/ke2e/kubernaut/signalprocessing:`),
                );
            }
            const roles = await kubectl(["get", "clusterroles", "-o", "name"]);
            for (const stack of stacks)
                assert.match(roles.stdout, new RegExp(`-${stack}$`, "m"), `${stack} has its own ClusterRoles`);
        });

        it("keeps Kubernaut's CRDs while one stack still uses them, deletes them with the last, and leaves the cluster", async () => {
            const crds = async () =>
                (await kubectl(["get", "crd", "-o", "name"])).stdout
                    .split("\n")
                    .filter((n) => n.endsWith(".kubernaut.ai"));
            const before = await crds();
            assert.ok(before.length > 0);

            const first = await project.pulumi(["destroy", "--yes", "--skip-preview"], {
                stack: stacks[0],
                reject: false,
            });
            assert.equal(first.exitCode, 0, first.stdout.slice(-4000));
            assert.match(first.stdout, /still used by sp-shared-b/);
            assert.deepEqual(await crds(), before, "the other stack still uses them");
            assert.notEqual(
                (await kubectl(["get", "namespace", stacks[0]])).exitCode,
                0,
                "the first stack's namespace is gone",
            );
            const other = await kubectl([
                "-n",
                stacks[1],
                "get",
                "deploy/signalprocessing-controller",
                "-o",
                "jsonpath={.status.readyReplicas}",
            ]);
            assert.equal(other.stdout, "1", "the other stack is untouched");

            const last = await project.pulumi(["destroy", "--yes", "--skip-preview"], {
                stack: stacks[1],
                reject: false,
            });
            assert.equal(last.exitCode, 0, last.stdout.slice(-4000));
            assert.deepEqual(await crds(), []);
            const nodes = await kubectl(["get", "nodes", "-o", "name"]);
            assert.equal(nodes.exitCode, 0, "the existing cluster is still there");
        });
    });
});
