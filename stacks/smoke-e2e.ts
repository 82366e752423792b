/**
 * smoke-e2e: the smallest stack that exercises the foundation — two images built in parallel, a kind cluster
 * created after them, and one load per image.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ContainerImage } from "../components/container-image.js";
import { ImageLoad } from "../components/image-load.js";
import { KindCluster } from "../components/kind-cluster.js";
import { commonConfig, parseConfig } from "../lib/config.js";
import { resolveEngine } from "../lib/engine.js";
import { PROJECT_ROOT, stackScope } from "../lib/stack-scope.js";

const config = {
    ...commonConfig,
    /** Base image of the two smoke images. @default "docker.io/library/busybox:1.36" */
    baseImage: z.string().default("docker.io/library/busybox:1.36"),
    /** Host port for the api's NodePort 30080. @default 38080 */
    hostPort: z.number().int().min(1).max(65535).default(38080),
};

export function hostPorts(values: Record<string, unknown>): number[] {
    return [z.object({ hostPort: config.hostPort }).parse({ hostPort: values.hostPort }).hostPort];
}

export default function smokeE2e() {
    const stack = pulumi.getStack();
    const cfg = parseConfig(stack, config);
    const scope = stackScope(stack, { clusterName: cfg.clusterName });
    const engine = resolveEngine({ requested: cfg.engine, bin: cfg.engineBinary, verify: false });
    const source = path.join(PROJECT_ROOT, "manifests", "smoke");

    const names = ["api", "worker"];
    const images = names.map(
        (name) => new ContainerImage(name, {
            repository: `localhost/kubernaut-e2e/smoke-${name}`,
            context: path.join(source, name),
            dockerfile: "Dockerfile",
            buildArgs: { BASE_IMAGE: cfg.baseImage },
            engine,
        }),
    );
    const cluster = new KindCluster("cluster", {
        clusterName: scope.clusterName,
        nodeImage: cfg.nodeImage,
        extraPortMappings: [{ containerPort: 30080, hostPort: cfg.hostPort }],
        kubeconfigPath: scope.kubeconfigPath,
        stateDir: scope.clusterStateDir,
        engine,
        kindBin: cfg.kindBinary,
        waitSeconds: cfg.clusterWaitSeconds,
        waitForImages: cfg.clusterAfterBuilds ? images : [],
    });
    const loads = images.map((image, i) => new ImageLoad(names[i], { image, cluster, archiveDir: scope.archiveDir }));

    return {
        clusterName: cluster.clusterName,
        kubeconfigPath: cluster.kubeconfigPath,
        images: loads.map((load) => load.imageRef),
    };
}
