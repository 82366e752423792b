/**
 * What every Kubernaut lane stands on: the checkout, the lane's images, the kind cluster after the builds (its port
 * mappings from the lane's port table), the lane's namespace, the DataStorage spine and the suite's identity; image
 * loads as services ask for them; and the lane's URLs and outputs.
 *
 * A class, not a ComponentResource (a departure from "one component per concern", on purpose): the images, the
 * cluster, the namespace and the spine stay top-level resources of the stack, where `preview` shows them and where
 * the lanes' existing state has them. Its own state — the loads made so far — is a field of it.
 */
import * as fs from "node:fs";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { checkedConfig } from "../../lib/config.js";
import { resolveEngine, type ContainerEngine } from "../../lib/engine.js";
import { BuildContext } from "../../lib/fingerprint.js";
import { goArch, NODE_COVERAGE_DIR } from "../../lib/kubernaut-lanes.js";
import type { KubernautSource } from "../../lib/kubernaut-source.js";
import { clusterRegistryHosts } from "../../lib/registry.js";
import { userPath, type StackScope } from "../../lib/stack-scope.js";
import type { ClusterTarget } from "../cluster-target.js";
import { ContainerImage } from "../container-image.js";
import type { DeliveredImage } from "../delivered-image.js";
import { ExistingCluster } from "../existing-cluster.js";
import { ImageLoad } from "../image-load.js";
import { KindCluster } from "../kind-cluster.js";
import { CRD_CLAIM_LABEL } from "../kubernetes/crds.js";
import { DataStorageSpine } from "../kubernetes/data-storage-spine.js";
import type { ClusterPlacement } from "../kubernetes/placement.js";
import { SuiteAccess } from "../kubernetes/suite-access.js";
import type { LocalImage } from "../local-image.js";
import { PulledImage } from "../pulled-image.js";
import { RegistryCopy } from "../registry-copy.js";
import type { LaneConfig } from "./config.js";
import { laneOutputs } from "./outputs.js";
import { kubeadmFlags, laneScope, type LaneSpec } from "./spec.js";

type Images<S extends LaneSpec> = { readonly [K in keyof S["images"]]: ContainerImage };

/** The `dockerfiles` config as absolute paths, each checked to be a file. */
function replacementDockerfiles(configured: Readonly<Record<string, string | undefined>>): Record<string, string> {
    const resolved: Record<string, string> = {};
    for (const [name, file] of Object.entries(configured)) {
        if (!file) continue;
        const absolute = userPath(file);
        if (!fs.statSync(absolute, { throwIfNoEntry: false })?.isFile()) {
            throw new Error(
                `\`kubernaut-e2e:dockerfiles.${name}\`: \`${absolute}\` is not a file (expected the Dockerfile to build image ${name} with)`,
            );
        }
        resolved[name] = absolute;
    }
    return resolved;
}

/** On a shared cluster the lane lives in a namespace named after the stack, and its images come from the registry. */
function sharedNamespace(stack: string, spec: LaneSpec, config: LaneConfig<LaneSpec>): string {
    if (spec.notShareable) {
        throw new Error(
            `\`kubernaut-e2e:cluster\`: ${spec.stack} cannot share a cluster with other stacks: ${spec.notShareable}; give it a kind cluster of its own`,
        );
    }
    if (!config.registry)
        throw new Error(
            "`kubernaut-e2e:cluster`: an existing cluster pulls every image, so set `kubernaut-e2e:registry` too",
        );
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(stack) || stack.length > 63) {
        throw new Error(
            `\`kubernaut-e2e:cluster\`: the stack name \`${stack}\` is not a namespace name (lowercase letters, digits and \`-\`, at most 63), which the lane needs on a shared cluster`,
        );
    }
    return stack;
}

/** The resource name of a suite image's preload: `suite-` and its repository's last segment (`suite-busybox`). */
export function suiteImageName(ref: string): string {
    const repository = ref.split("@")[0].replace(/:[^/:]*$/, "");
    return `suite-${repository
        .split("/")
        .pop()!
        .replace(/[^a-z0-9-]/g, "-")}`;
}

export class Lane<S extends LaneSpec> {
    readonly spec: S;
    readonly config: LaneConfig<S>;
    readonly source: KubernautSource;
    readonly scope: StackScope;
    readonly engine: ContainerEngine;
    /** The namespace the lane lives in: Kubernaut's, or on a shared cluster the stack's own. */
    readonly namespaceName: string;
    /** Whether `option` images are instrumented and services collect coverage. */
    readonly coverage: boolean;
    readonly images: Images<S>;
    /** The stack's kind cluster, or with `cluster` config an existing one it shares. */
    readonly cluster: ClusterTarget;
    readonly namespace: k8s.core.v1.Namespace;
    /** Cluster and namespace, as every Kubernetes component takes them. */
    readonly placement: ClusterPlacement;
    readonly spine: DataStorageSpine;
    /** The identity the lane's Ginkgo suite acts as. */
    readonly suite: SuiteAccess;
    /** Deliveries made so far, by image: each image is loaded (or copied to the registry) once. */
    private readonly deliveries = new Map<string, DeliveredImage>();

    /**
     * Registers the lane's images, cluster, namespace, spine and suite identity. Every config check that needs no
     * engine comes before the first registration.
     */
    constructor(spec: S, config: LaneConfig<S>, source: KubernautSource, stack: string = pulumi.getStack()) {
        const shared = config.cluster !== undefined;
        const dockerfiles = checkedConfig(stack, () =>
            replacementDockerfiles(config.dockerfiles as Record<string, string | undefined>),
        );
        this.spec = spec;
        this.config = config;
        this.source = source;
        this.scope = laneScope(spec, stack, config);
        this.engine = resolveEngine({ requested: config.engine, bin: config.engineBinary, verify: false });
        this.coverage = config.coverage;
        this.namespaceName = shared ? checkedConfig(stack, () => sharedNamespace(stack, spec, config)) : spec.namespace;
        const registryHosts = checkedConfig(stack, () => clusterRegistryHosts(config.registry, this.engine.name));
        const existing = shared ? checkedConfig(stack, () => this.existingCluster(stack)) : undefined;

        // Every image builds from the repository root: one shared context is digested once.
        const context = new BuildContext(source.root);
        const buildArgs = {
            GOARCH: goArch(),
            ...(config.builderImage ? { BUILDER_IMAGE: config.builderImage } : {}),
            ...(config.baseImage ? { BASE_IMAGE: config.baseImage } : {}),
        };
        this.images = Object.fromEntries(
            Object.entries(spec.images).map(([name, image]) => [
                name,
                new ContainerImage(name, {
                    repository: image.repository,
                    context,
                    dockerfile: dockerfiles[name] ?? image.dockerfile,
                    buildArgs,
                    coverage: image.coverage === "always" || (image.coverage === "option" && config.coverage),
                    ...(image.go ? { go: { packages: image.go } } : {}),
                    ...(config.registry ? { registry: config.registry } : {}),
                    engine: this.engine,
                }),
            ]),
        ) as unknown as Images<S>;

        this.cluster =
            existing ??
            new KindCluster("cluster", {
                clusterName: this.scope.clusterName,
                nodeImage: config.nodeImage,
                extraPortMappings: Object.entries(spec.ports).map(([key, port]) => ({
                    containerPort: port.nodePort,
                    hostPort: (config.hostPorts as Record<string, number>)[key],
                })),
                extraMounts: [{ hostPath: this.scope.coverageDir, containerPath: NODE_COVERAGE_DIR }],
                ...kubeadmFlags(spec.kubeadm),
                ...(spec.kubeletExtraArgs ? { kubeletExtraArgs: spec.kubeletExtraArgs } : {}),
                kubeconfigPath: this.scope.kubeconfigPath,
                stateDir: this.scope.clusterStateDir,
                engine: this.engine,
                kindBin: config.kindBinary,
                waitSeconds: config.clusterWaitSeconds,
                waitForImages: config.clusterAfterBuilds ? Object.values<ContainerImage>(this.images) : [],
                registries: registryHosts,
                cpuRequests: config.cpuRequests,
            });

        // On a shared cluster the namespace is the stack's claim on the shared CRDs (see `Crds`).
        const labels = { ...spec.namespaceLabels, ...(shared ? { [CRD_CLAIM_LABEL.key]: CRD_CLAIM_LABEL.value } : {}) };
        this.namespace = new k8s.core.v1.Namespace(
            "namespace",
            {
                metadata: { name: this.namespaceName, ...(Object.keys(labels).length ? { labels } : {}) },
            },
            this.cluster.objectOptions(),
        );
        this.placement = { cluster: this.cluster, namespace: this.namespace };

        this.spine = new DataStorageSpine("spine", {
            lane: this,
            postgresImage: config.postgresImage,
            postgresPassword: pulumi.secret(config.postgresPassword),
            redisImage: config.redisImage,
            ...(spec.tlsLeaves?.length
                ? {
                      tlsLeaves: [
                          { secretName: "datastorage-tls", serviceName: "data-storage-service" },
                          ...spec.tlsLeaves,
                      ],
                  }
                : {}),
        });
        this.suite = new SuiteAccess("suite", {
            ...this.placement,
            ...spec.suite,
            dataStorage: this.spine.dataStorage,
        });
        // Loaded into a kind node only: with a registry, nodes pull the suite's images by their own names.
        if (!config.registry)
            for (const ref of Object.keys(spec.suiteImages ?? {})) this.thirdParty(suiteImageName(ref), ref);
    }

    /** The shared cluster of `cluster` config; a missing kubeconfig file or context is a config error. */
    private existingCluster(stack: string): ExistingCluster {
        const cluster = this.config.cluster!;
        try {
            return new ExistingCluster("cluster", {
                ...(cluster.kubeconfig !== undefined
                    ? { kubeconfig: pulumi.secret(cluster.kubeconfig) }
                    : { kubeconfigFile: userPath(cluster.kubeconfigFile!) }),
                ...(cluster.context ? { context: cluster.context } : {}),
                kubeconfigPath: this.scope.kubeconfigPath,
                tenant: {
                    stack,
                    namespace: this.namespaceName,
                    cpuRequests: cluster.cpuRequests ?? this.config.cpuRequests,
                },
            });
        } catch (err) {
            throw new Error(`\`kubernaut-e2e:cluster\`: ${(err as Error).message}`);
        }
    }

    private deliver(name: string, image: LocalImage): DeliveredImage {
        let delivery = this.deliveries.get(name);
        if (!delivery) {
            // With a registry the cluster pulls: a built image is delivered once pushed, a third-party one once copied.
            if (this.config.registry)
                delivery =
                    image instanceof ContainerImage
                        ? image
                        : new RegistryCopy(name, { image, registry: this.config.registry });
            else
                delivery = new ImageLoad(name, {
                    image,
                    cluster: this.cluster as KindCluster,
                    archiveDir: this.scope.archiveDir,
                });
            this.deliveries.set(name, delivery);
        }
        return delivery;
    }

    /**
     * One of the lane's images, delivered to the cluster: its archive load (one per image, made on first use, so an
     * image nobody deploys is built but never loaded), or with a `registry` the pushed image itself.
     */
    load(image: keyof S["images"] & string): DeliveredImage {
        return this.deliver(image, this.images[image]);
    }

    /**
     * A third-party image: pulled once on the host and loaded (or with a `registry` pushed there) when
     * `preloadThirdPartyImages` is on, else the ref the node pulls itself.
     */
    thirdParty(name: string, ref: string): DeliveredImage | string {
        if (!this.config.preloadThirdPartyImages) return ref;
        const standIn = this.config.imageStandIns[ref];
        return (
            this.deliveries.get(name) ??
            this.deliver(
                name,
                new PulledImage(name, { imageRef: ref, engine: this.engine, ...(standIn ? { standIn } : {}) }),
            )
        );
    }

    /** The NodePort of a port-table entry. */
    nodePort(key: keyof S["ports"] & string): number {
        return this.spec.ports[key].nodePort;
    }

    /** `127.0.0.1:<host port>` of a port-table entry, as configured; on a shared cluster its Service's `host:port`. */
    hostAddress(key: keyof S["ports"] & string): string {
        if (!this.cluster.shared) return `127.0.0.1:${(this.config.hostPorts as Record<string, number>)[key]}`;
        const service = this.spec.ports[key].service;
        if (!service)
            throw new pulumi.RunError(
                `lane ${this.spec.stack}: port-table entry \`${key}\` names no Service, so it has no address on a shared cluster`,
            );
        return `${service.service}.${this.namespaceName}.svc:${service.port}`;
    }

    /** `scheme://<address>path` of a port-table entry (see {@link hostAddress}). */
    hostUrl(key: keyof S["ports"] & string, scheme: "http" | "https", path = ""): string {
        return `${scheme}://${this.hostAddress(key)}${path}`;
    }

    /** The hand-off contract's outputs (docs/suite-handoff.md), with the lane's own. */
    outputs(extra: Record<string, unknown> = {}): Record<string, unknown> {
        return laneOutputs(this, extra);
    }
}

/**
 * A lane that builds the images `I` and publishes the ports `P`: what a Kubernaut service's facts need of the lane
 * that runs it (`stacks/services/`), so any lane with them can run the service. Every `Lane` of such a spec is one.
 */
export interface LaneWith<I extends string, P extends string = never> {
    readonly placement: ClusterPlacement;
    readonly namespace: k8s.core.v1.Namespace;
    readonly namespaceName: string;
    readonly spine: DataStorageSpine;
    readonly scope: StackScope;
    readonly source: KubernautSource;
    readonly coverage: boolean;
    readonly images: { readonly [K in I]: ContainerImage };
    load(image: I): DeliveredImage;
    thirdParty(name: string, ref: string): DeliveredImage | string;
    nodePort(key: P): number;
    hostUrl(key: P, scheme: "http" | "https", path?: string): string;
}
