/**
 * smoke-e2e: the smallest stack that exercises the whole foundation — two images built in parallel, a kind cluster
 * created after them, one load per image, and a Deployment of each: the api behind NodePort 30080 on a host port, the
 * worker with no ports.
 */
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ContainerImage } from "../components/container-image.js";
import type { DeliveredImage } from "../components/delivered-image.js";
import { ImageLoad } from "../components/image-load.js";
import { KindCluster } from "../components/kind-cluster.js";
import { Workload } from "../components/kubernetes/workload.js";
import { checkedConfig, namespaceConfig, parseConfig } from "../lib/config.js";
import { resolveEngine } from "../lib/engine.js";
import type { ProgramContext } from "../lib/stack-program.js";
import { clusterRegistryHosts } from "../lib/registry.js";
import { PROJECT_ROOT, stackScope } from "../lib/stack-scope.js";
import { SMOKE_API_NODE_PORT, SMOKE_CONFIG, smokeToolchainDefaults } from "./smoke.js";

/** The smoke stack's program: see `smoke.ts` for its config. */
export default async function smokeE2e(context: ProgramContext): Promise<Record<string, unknown>> {
    const stack = pulumi.getStack();
    const cfg = parseConfig(
        stack,
        SMOKE_CONFIG,
        namespaceConfig(),
        smokeToolchainDefaults(context.profile, context.profileFile ?? "the toolchain profile"),
    );
    const scope = stackScope(stack, { clusterName: cfg.clusterName, kubeconfigPath: cfg.kubeconfigPath });
    const engine = resolveEngine({ requested: cfg.engine, bin: cfg.engineBinary, verify: false });
    const source = path.join(PROJECT_ROOT, "manifests", "smoke");

    const registryHosts = checkedConfig(stack, () => clusterRegistryHosts(cfg.registry, engine.name));

    const build = (name: string) =>
        new ContainerImage(name, {
            repository: `localhost/kubernaut-e2e/smoke-${name}`,
            context: path.join(source, name),
            dockerfile: "Dockerfile",
            buildArgs: { BASE_IMAGE: cfg.baseImage },
            engine,
            ...(cfg.registry ? { registry: cfg.registry } : {}),
        });
    const api = build("api");
    const worker = build("worker");
    const cluster = new KindCluster("cluster", {
        clusterName: scope.clusterName,
        nodeImage: cfg.nodeImage,
        extraPortMappings: [{ containerPort: SMOKE_API_NODE_PORT, hostPort: cfg.hostPort }],
        kubeconfigPath: scope.kubeconfigPath,
        stateDir: scope.clusterStateDir,
        engine,
        kindBin: cfg.kindBinary,
        waitSeconds: cfg.clusterWaitSeconds,
        waitForImages: cfg.clusterAfterBuilds ? [api, worker] : [],
        registries: registryHosts,
    });
    // With a registry the cluster pulls the pushed image; otherwise each image is loaded as an archive.
    const load = (name: string, image: ContainerImage): DeliveredImage =>
        cfg.registry ? image : new ImageLoad(name, { image, cluster, archiveDir: scope.archiveDir });
    const apiLoad = load("api", api);
    const workerLoad = load("worker", worker);

    const namespace = new k8s.core.v1.Namespace("namespace", { metadata: { name: "smoke" } }, cluster.objectOptions());
    new Workload("api-workload", {
        cluster,
        namespace,
        appName: "api",
        image: apiLoad,
        ports: [{ name: "http", containerPort: 8080, nodePort: SMOKE_API_NODE_PORT }],
        readiness: { httpGet: "/", port: "http" },
        readyTimeoutSeconds: cfg.readyTimeoutSeconds,
    });
    new Workload("worker-workload", {
        cluster,
        namespace,
        appName: "worker",
        image: workerLoad,
        readiness: { exec: ["cat", "/work.sh"] },
        readyTimeoutSeconds: cfg.readyTimeoutSeconds,
    });

    return {
        clusterName: cluster.clusterName,
        kubeconfigPath: cluster.kubeconfigPath,
        apiUrl: `http://127.0.0.1:${cfg.hostPort}/`,
        images: [apiLoad.imageRef, workerLoad.imageRef],
    };
}
