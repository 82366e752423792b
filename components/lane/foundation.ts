/**
 * What every Kubernaut lane starts from: the checkout, the lane's images, the kind cluster after the builds (its port
 * mappings from the lane's port table), image loads on demand, and the lane's namespace.
 *
 * A function, not a ComponentResource (a departure from "one component per concern", on purpose): the images, the
 * cluster and the namespace stay top-level resources of the stack, where `preview` shows them and where the lanes'
 * existing state has them, and it registers nothing a component would own.
 */
import * as fs from "node:fs";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { checkedConfig } from "../../lib/config.js";
import { resolveEngine, type ContainerEngine } from "../../lib/engine.js";
import { BuildContext } from "../../lib/fingerprint.js";
import { goArch, NODE_COVERAGE_DIR } from "../../lib/kubernaut-lanes.js";
import { KubernautSource, resolveKubernautRoot, type Requirement } from "../../lib/kubernaut-source.js";
import type { StackScope } from "../../lib/stack-scope.js";
import { ContainerImage } from "../container-image.js";
import { ImageLoad } from "../image-load.js";
import { serviceForNodePort, type ClusterTarget } from "../cluster-target.js";
import { ExistingCluster } from "../existing-cluster.js";
import { KindCluster } from "../kind-cluster.js";
import { CRD_CLAIM_LABEL } from "../kubernetes/crds.js";
import { userPath } from "../../lib/stack-scope.js";
import { sharedClusterTransformation } from "./shared-cluster.js";
import type { ClusterPlacement } from "../kubernetes/placement.js";
import type { LocalImage } from "../local-image.js";
import { PulledImage } from "../pulled-image.js";
import { RegistryCopy } from "../registry-copy.js";
import type { DeliveredImage } from "../delivered-image.js";
import { clusterRegistryHosts, type Registry } from "../../lib/registry.js";
import { kubeadmFlags, laneScope, type LaneSpec } from "./spec.js";

/** The parsed config every lane has (see `laneConfig`). */
export interface LaneConfig {
    readonly kubernautRoot?: string;
    readonly engine?: "docker" | "podman";
    readonly engineBinary?: string;
    readonly kindBinary?: string;
    readonly clusterName?: string;
    readonly kubeconfigPath?: string;
    readonly clusterAfterBuilds: boolean;
    readonly nodeImage: string;
    readonly clusterWaitSeconds: number;
    readonly coverage: boolean;
    readonly preloadThirdPartyImages: boolean;
    readonly builderImage?: string;
    readonly baseImage?: string;
    readonly dockerfiles: Readonly<Record<string, string | undefined>>;
    readonly hostPorts: Readonly<Record<string, number>>;
    readonly registry?: Registry;
    readonly cluster?: { readonly kubeconfig?: string; readonly kubeconfigFile?: string; readonly context?: string; readonly cpuRequests?: boolean };
}

export interface OpenLaneOptions {
    /** Checkout files the lane reads beyond its Dockerfiles, CRDs, migrations and DataStorage RBAC. @default [] */
    readonly files?: readonly Requirement[];
    /**
     * The checkout, already opened by {@link openLaneSource} (with `files`), for a stack that reads it before anything
     * is registered. @default - opened here
     */
    readonly source?: KubernautSource;
}

/**
 * Opens and checks the lane's checkout (everything it reads, and `files`) without registering anything: a stack that
 * derives inputs from the checkout does so before {@link openLane}, so a bad input fails first.
 */
export function openLaneSource(spec: LaneSpec, config: LaneConfig, files: readonly Requirement[] = []): KubernautSource {
    const { root, from } = resolveKubernautRoot(config.kubernautRoot);
    return KubernautSource.open(root, from, [...laneFiles(spec, config.dockerfiles), ...files]);
}

export interface LaneFoundation<S extends LaneSpec> {
    readonly spec: S;
    readonly source: KubernautSource;
    readonly scope: StackScope;
    readonly engine: ContainerEngine;
    /** Whether `option` images are instrumented and services collect coverage. */
    readonly coverage: boolean;
    readonly images: { readonly [K in keyof S["images"]]: ContainerImage };
    /** The stack's kind cluster, or with `cluster` config an existing one it shares. */
    readonly cluster: ClusterTarget;
    readonly namespace: k8s.core.v1.Namespace;
    /** Cluster and namespace, as every Kubernetes component takes them. */
    readonly placement: ClusterPlacement;
    /**
     * One of the lane's images, delivered to the cluster: its archive load (one per image, made on first use), or
     * with a `registry` the pushed image itself.
     */
    load(image: keyof S["images"] & string): DeliveredImage;
    /**
     * A third-party image: pulled once on the host and loaded (or with a `registry` pushed there) when
     * `preloadThirdPartyImages` is on, else the ref the node pulls itself.
     */
    thirdParty(name: string, ref: string): DeliveredImage | string;
    /** The NodePort of a port-table entry. */
    nodePort(key: keyof S["ports"] & string): number;
    /** `127.0.0.1:<host port>` of a port-table entry, as configured; on a shared cluster the Service's `host:port`. */
    hostAddress(key: keyof S["ports"] & string): string;
    /** `scheme://127.0.0.1:<host port>path` of a port-table entry; on a shared cluster the Service's in-cluster URL. */
    hostUrl(key: keyof S["ports"] & string, scheme: "http" | "https", path?: string): string;
}

/**
 * Files every lane reads from the checkout: its Dockerfiles (but those `dockerfiles` replaces), the CRDs, the
 * migrations and DataStorage's RBAC.
 */
function laneFiles(spec: LaneSpec, replaced: Readonly<Record<string, string | undefined>>): Requirement[] {
    return [
        ...Object.entries(spec.images).filter(([name]) => !replaced[name]).map(([, image]) => ({ path: image.dockerfile, kind: "file" as const })),
        { path: "config/crd/bases", kind: "dir", suffix: ".yaml" },
        { path: "migrations", kind: "dir", suffix: ".sql" },
        { path: "deploy/data-storage/client-rbac-v2.yaml", kind: "file" },
        { path: "deploy/data-storage/service-rbac.yaml", kind: "file" },
    ];
}

/** On a shared cluster the lane lives in a namespace named after the stack, and its images come from the registry. */
function sharedNamespace(stack: string, spec: LaneSpec, config: LaneConfig): string {
    if (spec.notShareable) throw new Error(`\`kubernaut-e2e:cluster\`: ${spec.stack} cannot share a cluster with other stacks: ${spec.notShareable}; give it a kind cluster of its own`);
    if (!config.registry) throw new Error("`kubernaut-e2e:cluster`: an existing cluster pulls every image, so set `kubernaut-e2e:registry` too");
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(stack) || stack.length > 63) throw new Error(`\`kubernaut-e2e:cluster\`: the stack name \`${stack}\` is not a namespace name (lowercase letters, digits and \`-\`, at most 63), which the lane needs on a shared cluster`);
    return stack;
}

/** The `dockerfiles` config as absolute paths, each checked to be a file. */
function replacementDockerfiles(configured: Readonly<Record<string, string | undefined>>): Record<string, string> {
    const resolved: Record<string, string> = {};
    for (const [name, file] of Object.entries(configured)) {
        if (!file) continue;
        const absolute = userPath(file);
        if (!fs.statSync(absolute, { throwIfNoEntry: false })?.isFile()) throw new Error(`\`kubernaut-e2e:dockerfiles.${name}\`: \`${absolute}\` is not a file (expected the Dockerfile to build image ${name} with)`);
        resolved[name] = absolute;
    }
    return resolved;
}

/**
 * Opens the lane: reads and checks the checkout, registers the builds, the cluster and the namespace. Loads are made
 * as components ask for them, so an image nobody deploys is built but never loaded.
 */
export function openLane<S extends LaneSpec>(spec: S, config: LaneConfig, options: OpenLaneOptions = {}): LaneFoundation<S> {
    const stack = pulumi.getStack();
    const source = options.source ?? openLaneSource(spec, config, options.files);
    const dockerfiles = checkedConfig(stack, () => replacementDockerfiles(config.dockerfiles));
    const scope = laneScope(spec, stack, config);
    const engine = resolveEngine({ requested: config.engine, bin: config.engineBinary, verify: false });
    const registryHosts = checkedConfig(stack, () => clusterRegistryHosts(config.registry, engine.name));
    const shared = config.cluster !== undefined;
    const laneSpec: S = shared ? { ...spec, namespace: checkedConfig(stack, () => sharedNamespace(stack, spec, config)) } : spec;
    if (shared) pulumi.runtime.registerStackTransformation(sharedClusterTransformation(stack, laneSpec.namespace, { cpuRequests: config.cluster!.cpuRequests }));
    // Checked before anything is registered: a missing kubeconfig file or context is a config error.
    const existing = shared ? checkedConfig(stack, () => {
        try {
            return new ExistingCluster("cluster", {
                ...(config.cluster!.kubeconfig !== undefined ? { kubeconfig: pulumi.secret(config.cluster!.kubeconfig) } : { kubeconfigFile: userPath(config.cluster!.kubeconfigFile!) }),
                ...(config.cluster!.context ? { context: config.cluster!.context } : {}),
                kubeconfigPath: scope.kubeconfigPath,
            });
        } catch (err) {
            throw new Error(`\`kubernaut-e2e:cluster\`: ${(err as Error).message}`);
        }
    }) : undefined;

    // Every image builds from the repository root: one shared context is digested once.
    const context = new BuildContext(source.root);
    const buildArgs = {
        GOARCH: goArch(),
        ...(config.builderImage ? { BUILDER_IMAGE: config.builderImage } : {}),
        ...(config.baseImage ? { BASE_IMAGE: config.baseImage } : {}),
    };
    const images = Object.fromEntries(Object.entries(spec.images).map(([name, image]) => [name, new ContainerImage(name, {
        repository: image.repository,
        context,
        dockerfile: dockerfiles[name] ?? image.dockerfile,
        buildArgs,
        coverage: image.coverage === "always" || (image.coverage === "option" && config.coverage),
        ...(image.go ? { go: { packages: image.go } } : {}),
        ...(config.registry ? { registry: config.registry } : {}),
        engine,
    })])) as { [K in keyof S["images"]]: ContainerImage };

    const kind = shared ? undefined : new KindCluster("cluster", {
        clusterName: scope.clusterName,
        nodeImage: config.nodeImage,
        extraPortMappings: Object.entries(spec.ports).map(([key, port]) => ({ containerPort: port.nodePort, hostPort: config.hostPorts[key] })),
        extraMounts: [{ hostPath: scope.coverageDir, containerPath: NODE_COVERAGE_DIR }],
        ...kubeadmFlags(spec.kubeadm),
        ...(spec.kubeletExtraArgs ? { kubeletExtraArgs: spec.kubeletExtraArgs } : {}),
        kubeconfigPath: scope.kubeconfigPath,
        stateDir: scope.clusterStateDir,
        engine,
        kindBin: config.kindBinary,
        waitSeconds: config.clusterWaitSeconds,
        waitForImages: config.clusterAfterBuilds ? Object.values<ContainerImage>(images) : [],
        registries: registryHosts,
    });
    const cluster: ClusterTarget = kind ?? existing!;

    // With a registry, the cluster pulls: a built image is delivered once pushed, a third-party one once copied.
    const loads = new Map<string, DeliveredImage>();
    const loadOnce = (name: string, image: LocalImage) => {
        let load = loads.get(name);
        if (!load) {
            if (config.registry) load = image instanceof ContainerImage ? image : new RegistryCopy(name, { image, registry: config.registry });
            else load = new ImageLoad(name, { image, cluster: kind!, archiveDir: scope.archiveDir });
            loads.set(name, load);
        }
        return load;
    };

    // On a shared cluster the namespace is the stack's claim on the shared CRDs (see `Crds`).
    const labels = { ...spec.namespaceLabels, ...(shared ? { [CRD_CLAIM_LABEL.key]: CRD_CLAIM_LABEL.value } : {}) };
    const namespace = new k8s.core.v1.Namespace("namespace", {
        metadata: { name: laneSpec.namespace, ...(Object.keys(labels).length ? { labels } : {}) },
    }, cluster.objectOptions());

    const inCluster = (key: string) => {
        const found = serviceForNodePort(cluster, spec.ports[key].nodePort);
        if (!found) throw new pulumi.RunError(`lane ${spec.stack}: no Service publishes port-table entry \`${key}\` (NodePort ${spec.ports[key].nodePort}); create it before asking for its URL`);
        return `${found.service}.${laneSpec.namespace}.svc:${found.port}`;
    };
    return {
        spec: laneSpec,
        source,
        scope,
        engine,
        coverage: config.coverage,
        images,
        cluster,
        namespace,
        placement: { cluster, namespace },
        load: (name) => loadOnce(name, images[name]),
        thirdParty: (name, ref) => {
            if (!config.preloadThirdPartyImages) return ref;
            return loads.get(name) ?? loadOnce(name, new PulledImage(name, { imageRef: ref, engine }));
        },
        nodePort: (key) => spec.ports[key].nodePort,
        hostAddress: (key) => (shared ? inCluster(key) : `127.0.0.1:${config.hostPorts[key]}`),
        hostUrl: (key, scheme, path = "") => `${scheme}://${shared ? inCluster(key) : `127.0.0.1:${config.hostPorts[key]}`}${path}`,
    };
}
